package eu.erpdetachement.identity.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.audit.UserAudit;
import eu.erpdetachement.identity.config.KeycloakProperties;
import eu.erpdetachement.identity.config.UserChangeProperties;
import eu.erpdetachement.identity.domain.ErasurePolicy;
import eu.erpdetachement.identity.domain.AuditChain;
import eu.erpdetachement.identity.domain.LastActiveAdminGuard;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.events.UserEvents;
import eu.erpdetachement.identity.events.UserEvents.SessionsEndedReason;
import eu.erpdetachement.identity.sessions.EndingSessions;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.audit.AuditRecord;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Caller;
import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Team management. Keycloak holds credentials and sign-in state, the profile holds the rest;
 * every change keeps both in step: Keycloak is changed last inside the profile's transaction, which
 * holds the profile's row lock (and, for role and status, the tenant's admin lock) until it commits,
 * so a Keycloak failure rolls the profile back and concurrent changes run one after the other. A
 * creation whose profile cannot be written deletes the Keycloak user again. What still drifts (a
 * crash between the two) is repaired by {@link Reconciliation}, under the same row lock. A change
 * is bounded by {@link UserChangeProperties#timeout()}, longer than any one Keycloak call.
 */
@Service
public class ManagingUsers {

    private static final Logger log = LoggerFactory.getLogger(ManagingUsers.class);

    private final UserProfileStore profiles;
    private final KeycloakUsers keycloak;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final PasswordTokens tokens;
    private final Mailer mailer;
    private final TransactionalOperator transaction;
    private final EndingSessions sessions;
    private final Clock clock;
    private final Duration changeTimeout;
    private final LastActiveAdminGuard lastAdminGuard = new LastActiveAdminGuard();
    private final ErasurePolicy erasurePolicy = new ErasurePolicy();

    public ManagingUsers(UserProfileStore profiles, KeycloakUsers keycloak, OutboxWriter outbox, AuditTrail audit, PasswordTokens tokens,
            Mailer mailer, TransactionalOperator transaction, EndingSessions sessions, Clock clock, UserChangeProperties change,
            KeycloakProperties keycloakProperties) {
        change.requireLongerThan(keycloakProperties);
        this.sessions = sessions;
        this.profiles = profiles;
        this.keycloak = keycloak;
        this.outbox = outbox;
        this.audit = audit;
        this.tokens = tokens;
        this.mailer = mailer;
        this.transaction = transaction;
        this.clock = clock;
        this.changeTimeout = change.timeout();
    }

    public record NewUser(String email, Role role, boolean active, UUID workerId, String language) {
    }

    /** What a change answers, and the mails to send once it has committed. */
    private record Changed(UserProfile profile, List<Runnable> afterCommit) {

        static Changed of(UserProfile profile) {
            return new Changed(profile, List.of());
        }
    }

    /** Creates the user in Keycloak and as a profile, announces it, and invites them to set a password. */
    public Mono<UserProfile> invite(Caller admin, NewUser user) {
        Instant now = now();
        return profiles.emailTaken(user.email(), null)
                .flatMap(taken -> taken ? Mono.error(duplicateEmail()) : Mono.just(user))
                .flatMap(u -> u.workerId() == null ? Mono.just(u) : profiles.workerIdTaken(admin.tenantId(), u.workerId(), null)
                        .flatMap(taken -> taken ? Mono.error(duplicateWorkerId()) : Mono.just(u)))
                // created disabled when inactive: no step after the commit can leave it enabled
                .flatMap(u -> blocking(() -> keycloak.create(u.email(), admin.tenantId(), u.role(),
                        u.workerId(), u.language(), null, u.active())))
                .onErrorMap(KeycloakUsers.DuplicateUser.class, e -> duplicateEmail())
                .flatMap(userId -> {
                    UserProfile profile = new UserProfile(userId, admin.tenantId(), user.email(), user.role(),
                            user.active(), user.language(), user.role() == Role.WORKER ? workerIdFor(user, userId) : user.workerId(),
                            now, now);
                    Mono<String> writeProfile = profiles.insertIfAbsent(profile)
                            .then(outbox.append(UserEvents.created(profile, admin.userId(), now)))
                            .then(audit.record(UserAudit.changed("user.invited", admin.userId(), null, profile)))
                            .then(tokens.issue(userId, admin.tenantId(), PasswordTokens.Purpose.INVITATION, now))
                            .as(transaction::transactional);
                    return writeProfile
                            .onErrorResume(e -> blocking(() -> {
                                keycloak.delete(userId); // compensate: no Keycloak user without a profile
                                return true;
                            }).then(Mono.error(e)))
                            .onErrorMap(ManagingUsers::uniqueViolation)
                            .doOnNext(token -> mailer.sendInvitation(profile.email(), profile.language(), token)
                                    .subscribe(null, e -> log.warn("Invitation to user {} not sent", userId)))
                            .thenReturn(profile);
                })
                .onErrorMap(ManagingUsers::unavailable);
    }

    /**
     * Changes email and language. An admin's change of another user's email applies at once; a
     * user's change of their own email only mails a confirmation link to the new address, and the
     * answer is the same whether that address is free or not. Either way, once the email changes,
     * every pending link of the user stops working.
     */
    public Mono<UserProfile> update(Caller caller, UUID userId, String email, String language) {
        Instant now = now();
        boolean selfService = caller.userId().equals(userId);
        return locked(caller.tenantId(), userId, current -> {
            String requestedEmail = email != null ? email : current.email();
            String newEmail = selfService ? current.email() : requestedEmail;
            String newLanguage = language != null ? language : current.language();
            boolean addressChanges = !newEmail.equalsIgnoreCase(current.email());
            boolean profileChanges = !newEmail.equals(current.email()) || !newLanguage.equals(current.language());
            UserProfile changed = new UserProfile(current.userId(), current.tenantId(), newEmail, current.role(),
                    current.active(), newLanguage, current.workerId(), current.createdAt(),
                    profileChanges ? now : current.updatedAt());
            List<Runnable> mails = new ArrayList<>();

            Mono<Void> write = !profileChanges ? Mono.empty()
                    : checkEmailFree(current, newEmail)
                            .then(profiles.update(changed))
                            .then(outbox.append(UserEvents.updated(changed, caller.userId(), now)))
                            .then(audit.record(UserAudit.changed("user.updated", caller.userId(), current, changed)))
                            .then(addressChanges ? revokeLinksAndReinvite(changed, now, mails) : Mono.empty())
                            .then(blocking(() -> {
                                keycloak.updateProfile(userId, newEmail, newLanguage);
                                return true;
                            })).then();
            Mono<Void> confirmation = selfService && !requestedEmail.equals(current.email())
                    ? requestEmailChange(current, requestedEmail, newLanguage, now, mails)
                    : Mono.empty();
            return write.then(confirmation).thenReturn(new Changed(changed, mails));
        });
    }

    /**
     * The address changed: every pending link of the user stops working. A user who never used their
     * invitation gets a new one at the corrected address.
     */
    private Mono<Void> revokeLinksAndReinvite(UserProfile changed, Instant now, List<Runnable> mails) {
        return tokens.hasPendingInvitation(changed.userId(), now)
                .flatMap(invited -> tokens.revokeAll(changed.userId(), now)
                        .then(!invited ? Mono.<Void>empty()
                                : tokens.issue(changed.userId(), changed.tenantId(), PasswordTokens.Purpose.INVITATION, now)
                                        .doOnNext(token -> mails.add(() -> mailer.sendInvitation(changed.email(), changed.language(), token)
                                                .subscribe(null, e -> log.warn("Invitation to user {} not sent", changed.userId()))))
                                        .then()));
    }

    /** Mails a confirmation link to a free address; to a taken one, nothing (the caller cannot tell). */
    private Mono<Void> requestEmailChange(UserProfile current, String newEmail, String language, Instant now, List<Runnable> mails) {
        return profiles.emailTaken(newEmail, current.userId())
                .flatMap(taken -> taken ? Mono.<Void>empty()
                        : tokens.revoke(current.userId(), java.util.EnumSet.of(PasswordTokens.Purpose.EMAIL_CHANGE), now)
                                .then(tokens.issueEmailChange(current.userId(), current.tenantId(), newEmail, now))
                                .flatMap(token -> audit.record(AuditRecord.of(current.tenantId(), current.userId(),
                                        "user.email_change_requested", UserAudit.TARGET, current.userId())
                                        .change("email", current.email(), newEmail).build()).thenReturn(token))
                                .doOnNext(token -> mails.add(() -> mailer.sendEmailChangeConfirmation(newEmail, language, token)
                                        .subscribe(null, e -> log.warn("Email change confirmation for user {} not sent", current.userId()))))
                                .then());
    }

    /**
     * Applies a self-service email change from the link mailed to the new address, and tells the old
     * address. The link is used up only if the change commits.
     */
    public Mono<UserProfile> confirmEmailChange(String token) {
        Instant now = now();
        var emailChange = java.util.EnumSet.of(PasswordTokens.Purpose.EMAIL_CHANGE);
        // the profile is locked before the token, in the order an admin's change takes them
        return inTransaction(tokens.peek(token, emailChange, now)
                .flatMap(owner -> lockedProfile(owner.tenantId(), owner.userId()))
                .flatMap(current -> tokens.redeem(token, emailChange, now).map(redeemed -> Map.entry(current, redeemed)))
                .switchIfEmpty(Mono.error(ManagingUsers::invalidLink))
                .flatMap(locked -> {
                    UserProfile current = locked.getKey();
                    PasswordTokens.Redeemed redeemed = locked.getValue();
                    if (!current.active()) {
                        return Mono.error(invalidLink());
                    }
                    String newEmail = redeemed.newEmail();
                    UserProfile changed = new UserProfile(current.userId(), current.tenantId(), newEmail, current.role(),
                            current.active(), current.language(), current.workerId(), current.createdAt(), now);
                    Runnable notice = () -> mailer.sendEmailChangedNotice(current.email(), current.language(), newEmail)
                            .subscribe(null, e -> log.warn("Email change notice for user {} not sent", current.userId()));
                    return checkEmailFree(current, newEmail)
                            .then(profiles.update(changed))
                            .then(tokens.revokeAll(current.userId(), now))
                            .then(outbox.append(UserEvents.updated(changed, current.userId(), now)))
                            .then(audit.record(UserAudit.changed("user.email_changed", current.userId(), current, changed)))
                            .then(blocking(() -> {
                                keycloak.updateProfile(current.userId(), newEmail, current.language());
                                return new Changed(changed, List.of(notice));
                            }));
                }));
    }

    public Mono<UserProfile> changeStatus(Caller admin, UUID userId, boolean active) {
        if (admin.userId().equals(userId)) {
            return Mono.error(ProblemException.conflict("Nobody can change their own status.", Map.of()));
        }
        Instant now = now();
        return adminChange(admin.tenantId(), userId, (current, activeAdmins) -> {
            if (current.active() == active) {
                return Mono.just(Changed.of(current));
            }
            return guard(current, activeAdmins, active && current.role() == Role.TENANT_ADMIN)
                    .then(Mono.defer(() -> {
                        UserProfile changed = new UserProfile(current.userId(), current.tenantId(), current.email(),
                                current.role(), active, current.language(), current.workerId(), current.createdAt(), now);
                        Mono<Changed> inKeycloak = blocking(() -> {
                            keycloak.setEnabled(userId, active);
                            return Changed.of(changed);
                        });
                        // a deactivation also ends every session, so that no token issued before it still works
                        return profiles.update(changed)
                                .then(outbox.append(UserEvents.statusChanged(changed, admin.userId(), now)))
                                .then(audit.record(UserAudit.changed("user.status_changed", admin.userId(), current, changed)))
                                .then(active ? inKeycloak
                                        : sessions.endAll(userId, changed.tenantId(), SessionsEndedReason.DEACTIVATED, inKeycloak));
                    }));
        });
    }

    /** A user who becomes a worker gets a worker id (their user id, as at invitation) if they had none. */
    public Mono<UserProfile> changeRole(Caller admin, UUID userId, Role role) {
        Instant now = now();
        return adminChange(admin.tenantId(), userId, (current, activeAdmins) -> {
            if (current.role() == role) {
                return Mono.just(Changed.of(current));
            }
            UUID workerId = role == Role.WORKER && current.workerId() == null ? current.userId() : current.workerId();
            boolean newWorkerId = !java.util.Objects.equals(workerId, current.workerId());
            return guard(current, activeAdmins, current.active() && role == Role.TENANT_ADMIN)
                    .then(newWorkerId ? profiles.workerIdTaken(current.tenantId(), workerId, userId)
                            .flatMap(taken -> taken ? Mono.error(duplicateWorkerId()) : Mono.<Void>empty()) : Mono.empty())
                    .then(Mono.defer(() -> {
                        UserProfile changed = new UserProfile(current.userId(), current.tenantId(), current.email(),
                                role, current.active(), current.language(), workerId, current.createdAt(), now);
                        return profiles.update(changed)
                                .then(outbox.append(UserEvents.roleChanged(current, changed, admin.userId(), now)))
                                .then(audit.record(UserAudit.changed("user.role_changed", admin.userId(), current, changed)))
                                .then(blocking(() -> {
                                    keycloak.changeRole(userId, current.role(), role, newWorkerId ? workerId : null);
                                    return Changed.of(changed);
                                }));
                    }));
        });
    }

    /**
     * Erases a user (docs/data-protection.md): under the tenant's admin lock and the profile's row
     * lock, like a role or status change, so an erasure and a change of the same user run one after
     * the other and the later one sees the earlier's result (a change after an erasure is refused).
     * The profile gets the pseudonym and loses its links, UserErased and UserSessionsEnded are
     * written, then Keycloak is changed last; when a step after Keycloak fails, Keycloak is put back
     * and the transaction rolls back. Erasing an erased user answers the first erasure and changes
     * nothing. The answer's {@code updatedAt} is the erasure's time.
     */
    public Mono<UserProfile> erase(Caller admin, UUID userId) {
        Instant now = now();
        return inTransaction(profiles.lockTenantAndCountActiveAdmins(admin.tenantId())
                .flatMap(activeAdmins -> profiles.findForUpdate(admin.tenantId(), userId)
                        .switchIfEmpty(Mono.error(() -> ProblemException.notFound("User")))
                        .flatMap(current -> profiles.erasedAt(current.tenantId(), userId)
                                .map(erasedAt -> Changed.of(current))
                                .switchIfEmpty(Mono.defer(() -> eraseNow(admin, current, activeAdmins, now))))));
    }

    private Mono<Changed> eraseNow(Caller admin, UserProfile current, long activeAdmins, Instant now) {
        var refused = erasurePolicy.check(admin.userId(), current, activeAdmins);
        if (refused.isPresent()) {
            return Mono.error(ProblemException.conflict(refused.get(), Map.of("active_admins", activeAdmins)));
        }
        UUID userId = current.userId();
        String pseudonym = ErasurePolicy.pseudonymEmail(userId);
        UserProfile erased = new UserProfile(userId, current.tenantId(), pseudonym, current.role(), false,
                current.language(), current.workerId(), current.createdAt(), now);
        var before = new java.util.concurrent.atomic.AtomicReference<org.keycloak.representations.idm.UserRepresentation>();
        Mono<Changed> inKeycloak = blocking(() -> {
            before.set(keycloak.erase(userId, pseudonym));
            return Changed.of(erased);
        });
        return profiles.erase(erased)
                .then(tokens.deleteAll(userId))
                .then(outbox.append(UserEvents.erased(erased, admin.userId(), now)))
                // no personal data in it; the ledger pseudonymises every record naming the user when it appends this one
                .then(audit.record(UserAudit.about(AuditChain.ERASURE_ACTION, admin.userId(), current.tenantId(), userId)))
                .then(sessions.endAll(userId, current.tenantId(), SessionsEndedReason.ERASED, inKeycloak))
                .onErrorResume(e -> before.get() == null ? Mono.error(e) : blocking(() -> {
                    keycloak.restore(before.get()); // compensate: the rollback leaves the profile as it was
                    return true;
                }).onErrorResume(restoreFailed -> {
                    e.addSuppressed(restoreFailed); // the reconciliation puts Keycloak back in step with the profile
                    return Mono.just(false);
                }).then(Mono.error(e)));
    }

    /**
     * A role or status change: the tenant's admin lock and count, then the profile's row lock, all in
     * the change's transaction, so two admins changing each other run one after the other and the
     * second sees the first's result.
     */
    private Mono<UserProfile> adminChange(UUID tenantId, UUID userId,
            java.util.function.BiFunction<UserProfile, Long, Mono<Changed>> change) {
        return inTransaction(profiles.lockTenantAndCountActiveAdmins(tenantId)
                .flatMap(activeAdmins -> lockedProfile(tenantId, userId).flatMap(current -> change.apply(current, activeAdmins))));
    }

    /** Runs a change on a locked profile of the tenant, in one transaction with its Keycloak call. */
    private Mono<UserProfile> locked(UUID tenantId, UUID userId, Function<UserProfile, Mono<Changed>> change) {
        return inTransaction(lockedProfile(tenantId, userId).flatMap(change));
    }

    /** The profile, locked; an erased user's can no longer change. */
    private Mono<UserProfile> lockedProfile(UUID tenantId, UUID userId) {
        return profiles.findForUpdate(tenantId, userId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("User")))
                .flatMap(profile -> profiles.erasedAt(tenantId, userId).hasElement()
                        .flatMap(erased -> erased ? Mono.error(ProblemException.conflict("This user was erased.", Map.of()))
                                : Mono.just(profile)));
    }

    /**
     * The change's transaction, bounded in time: its locks are released and it is rolled back when
     * Keycloak or another change's lock keeps it waiting. Mails go out only after the commit.
     */
    private Mono<UserProfile> inTransaction(Mono<Changed> change) {
        return profiles.boundTransaction(changeTimeout)
                .then(change)
                .as(transaction::transactional)
                .timeout(changeTimeout)
                .onErrorMap(ManagingUsers::unavailable)
                .onErrorMap(ManagingUsers::uniqueViolation)
                .doOnNext(changed -> changed.afterCommit().forEach(Runnable::run))
                .map(Changed::profile);
    }

    private Mono<Void> checkEmailFree(UserProfile current, String newEmail) {
        return newEmail.equalsIgnoreCase(current.email()) ? Mono.empty()
                : profiles.emailTaken(newEmail, current.userId())
                        .flatMap(taken -> taken ? Mono.error(duplicateEmail()) : Mono.empty());
    }

    private Mono<Void> guard(UserProfile current, long activeAdmins, boolean staysActiveAdmin) {
        return lastAdminGuard.check(current, activeAdmins, staysActiveAdmin)
                .<Mono<Void>>map(reason -> Mono.error(ProblemException.conflict(reason, Map.of("active_admins", activeAdmins))))
                .orElse(Mono.empty());
    }

    private static Throwable unavailable(Throwable e) {
        if (e instanceof jakarta.ws.rs.ClientErrorException conflict && conflict.getResponse().getStatus() == 409) {
            return duplicateEmail(); // Keycloak knows the address as another user's
        }
        if (e instanceof jakarta.ws.rs.ProcessingException || e instanceof jakarta.ws.rs.WebApplicationException
                || e instanceof java.util.concurrent.TimeoutException || UserProfileStore.timedOut(e)) {
            return new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The identity provider is unavailable; nothing was changed.");
        }
        return e;
    }

    /** Two changes that raced past the checks meet the unique index: a conflict, not a server error. */
    private static Throwable uniqueViolation(Throwable e) {
        if (e instanceof ProblemException) {
            return e;
        }
        return UserProfileStore.violatedUniqueField(e)
                .<Throwable>map(field -> field.equals("email") ? duplicateEmail() : duplicateWorkerId())
                .orElse(e);
    }

    private static UUID workerIdFor(NewUser user, UUID userId) {
        return user.workerId() != null ? user.workerId() : userId;
    }

    private static ProblemException duplicateEmail() {
        return ProblemException.conflict("A user with this email already exists.", Map.of());
    }

    private static ProblemException duplicateWorkerId() {
        return ProblemException.conflict("Another user of the tenant has this worker id.", Map.of());
    }

    private static ProblemException invalidLink() {
        return new ProblemException(ProblemType.INVALID_TOKEN, "This link is invalid, expired or already used.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> Mono<T> blocking(Supplier<T> call) {
        return Mono.fromSupplier(call).subscribeOn(Schedulers.boundedElastic());
    }
}
