package eu.erpdetachement.identity.app;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.domain.LastActiveAdminGuard;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.events.UserEvents;
import eu.erpdetachement.identity.events.UserEvents.SessionsEndedReason;
import eu.erpdetachement.identity.sessions.EndingSessions;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Caller;
import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Team management. Keycloak holds credentials and sign-in state, the profile holds the rest;
 * every change keeps both in step: Keycloak is changed last inside the profile's transaction, so a
 * Keycloak failure rolls the profile back, and a creation whose profile cannot be written deletes
 * the Keycloak user again. What still drifts (a crash between the two) is repaired by
 * {@link Reconciliation}.
 */
@Service
public class ManagingUsers {

    private static final Logger log = LoggerFactory.getLogger(ManagingUsers.class);

    private final UserProfileStore profiles;
    private final KeycloakUsers keycloak;
    private final OutboxWriter outbox;
    private final PasswordTokens tokens;
    private final Mailer mailer;
    private final TransactionalOperator transaction;
    private final EndingSessions sessions;
    private final Clock clock;
    private final LastActiveAdminGuard lastAdminGuard = new LastActiveAdminGuard();

    public ManagingUsers(UserProfileStore profiles, KeycloakUsers keycloak, OutboxWriter outbox, PasswordTokens tokens,
            Mailer mailer, TransactionalOperator transaction, EndingSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.profiles = profiles;
        this.keycloak = keycloak;
        this.outbox = outbox;
        this.tokens = tokens;
        this.mailer = mailer;
        this.transaction = transaction;
        this.clock = clock;
    }

    public record NewUser(String email, Role role, boolean active, UUID workerId, String language) {
    }

    /** Creates the user in Keycloak and as a profile, announces it, and invites them to set a password. */
    public Mono<UserProfile> invite(Caller admin, NewUser user) {
        Instant now = now();
        return profiles.emailTaken(user.email(), null)
                .flatMap(taken -> taken ? Mono.error(duplicateEmail()) : Mono.just(user))
                .flatMap(u -> blocking(() -> keycloak.create(u.email(), admin.tenantId(), u.role(),
                        u.workerId(), u.language(), null)))
                .onErrorMap(KeycloakUsers.DuplicateUser.class, e -> duplicateEmail())
                .flatMap(userId -> {
                    UserProfile profile = new UserProfile(userId, admin.tenantId(), user.email(), user.role(),
                            user.active(), user.language(), user.role() == Role.WORKER ? workerIdFor(user, userId) : user.workerId(),
                            now, now);
                    Mono<String> writeProfile = profiles.insertIfAbsent(profile)
                            .then(outbox.append(UserEvents.created(profile, admin.userId(), now)))
                            .then(tokens.issue(userId, admin.tenantId(), PasswordTokens.Purpose.INVITATION, now))
                            .as(transaction::transactional);
                    return writeProfile
                            .onErrorResume(e -> blocking(() -> {
                                keycloak.delete(userId); // compensate: no Keycloak user without a profile
                                return true;
                            }).then(Mono.error(e)))
                            .flatMap(token -> (user.active() ? blocking(() -> true) : blocking(() -> {
                                keycloak.setEnabled(userId, false);
                                return true;
                            })).thenReturn(token))
                            .doOnNext(token -> mailer.sendInvitation(profile.email(), profile.language(), token)
                                    .subscribe(null, e -> log.warn("Invitation to user {} not sent", userId)))
                            .thenReturn(profile);
                });
    }

    public Mono<UserProfile> update(Caller caller, UUID userId, String email, String language) {
        Instant now = now();
        return locked(caller, userId, current -> {
            String newEmail = email != null ? email : current.email();
            String newLanguage = language != null ? language : current.language();
            UserProfile changed = new UserProfile(current.userId(), current.tenantId(), newEmail, current.role(),
                    current.active(), newLanguage, current.workerId(), current.createdAt(), now);
            Mono<Boolean> emailCheck = newEmail.equalsIgnoreCase(current.email()) ? Mono.just(false)
                    : profiles.emailTaken(newEmail, userId);
            return emailCheck.flatMap(taken -> taken ? Mono.error(duplicateEmail()) : profiles.update(changed))
                    .then(outbox.append(UserEvents.updated(changed, caller.userId(), now)))
                    .then(blocking(() -> {
                        keycloak.updateProfile(userId, newEmail, newLanguage);
                        return changed;
                    }));
        });
    }

    public Mono<UserProfile> changeStatus(Caller admin, UUID userId, boolean active) {
        if (admin.userId().equals(userId)) {
            return Mono.error(ProblemException.conflict("Nobody can change their own status.", Map.of()));
        }
        Instant now = now();
        return profiles.lockTenantAndCountActiveAdmins(admin.tenantId())
                .flatMap(activeAdmins -> locked(admin, userId, current -> {
                    if (current.active() == active) {
                        return Mono.just(current);
                    }
                    return guard(current, activeAdmins, active && current.role() == Role.TENANT_ADMIN)
                            .then(Mono.defer(() -> {
                                UserProfile changed = new UserProfile(current.userId(), current.tenantId(), current.email(),
                                        current.role(), active, current.language(), current.workerId(), current.createdAt(), now);
                                return profiles.update(changed)
                                        .then(outbox.append(UserEvents.statusChanged(changed, admin.userId(), now)))
                                        .then(active ? blocking(() -> {
                                            keycloak.setEnabled(userId, true);
                                            return changed;
                                        }) : sessions.endAll(userId, changed.tenantId(), SessionsEndedReason.DEACTIVATED,
                                                blocking(() -> {
                                                    keycloak.setEnabled(userId, false);
                                                    return changed;
                                                })));
                            }));
                }));
    }

    public Mono<UserProfile> changeRole(Caller admin, UUID userId, Role role) {
        Instant now = now();
        return profiles.lockTenantAndCountActiveAdmins(admin.tenantId())
                .flatMap(activeAdmins -> locked(admin, userId, current -> {
                    if (current.role() == role) {
                        return Mono.just(current);
                    }
                    return guard(current, activeAdmins, current.active() && role == Role.TENANT_ADMIN)
                            .then(Mono.defer(() -> {
                                UserProfile changed = new UserProfile(current.userId(), current.tenantId(), current.email(),
                                        role, current.active(), current.language(), current.workerId(), current.createdAt(), now);
                                return profiles.update(changed)
                                        .then(outbox.append(UserEvents.roleChanged(current, changed, admin.userId(), now)))
                                        .then(blocking(() -> {
                                            keycloak.changeRole(userId, current.role(), role);
                                            return changed;
                                        }));
                            }));
                }));
    }

    /** Runs a change on a locked profile of the caller's tenant, in one transaction with its Keycloak call. */
    private Mono<UserProfile> locked(Caller caller, UUID userId, java.util.function.Function<UserProfile, Mono<UserProfile>> change) {
        return profiles.findForUpdate(caller.tenantId(), userId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("User")))
                .flatMap(change)
                .onErrorMap(e -> e instanceof jakarta.ws.rs.ProcessingException || e instanceof jakarta.ws.rs.WebApplicationException
                        ? new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The identity provider is unavailable; nothing was changed.")
                        : e)
                .as(transaction::transactional);
    }

    private Mono<Void> guard(UserProfile current, long activeAdmins, boolean staysActiveAdmin) {
        return lastAdminGuard.check(current, activeAdmins, staysActiveAdmin)
                .<Mono<Void>>map(reason -> Mono.error(ProblemException.conflict(reason, Map.of("active_admins", activeAdmins))))
                .orElse(Mono.empty());
    }

    private static UUID workerIdFor(NewUser user, UUID userId) {
        return user.workerId() != null ? user.workerId() : userId;
    }

    private static ProblemException duplicateEmail() {
        return ProblemException.conflict("A user with this email already exists.", Map.of());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> Mono<T> blocking(Supplier<T> call) {
        return Mono.fromSupplier(call).subscribeOn(Schedulers.boundedElastic());
    }
}
