package eu.erpdetachement.identity.app;

import eu.erpdetachement.identity.audit.UserAudit;
import eu.erpdetachement.platform.audit.AuditTrail;
import reactor.util.context.ContextView;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.config.UserChangeProperties;
import eu.erpdetachement.identity.events.UserEvents.SessionsEndedReason;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.sessions.EndingSessions;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import jakarta.ws.rs.BadRequestException;
import eu.erpdetachement.platform.logging.RequestLogContext;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Forgotten passwords and invitations. A request answers at once and the same way whatever the
 * email, and does its work in the background so its timing says nothing either. Confirming sets
 * the password under the realm's policy and ends every session of the user, for every service.
 */
@Service
public class ResettingPassword {

    private static final Logger log = LoggerFactory.getLogger(ResettingPassword.class);

    private final UserProfileStore profiles;
    private final PasswordTokens tokens;
    private final KeycloakUsers keycloak;
    private final Mailer mailer;
    private final TransactionalOperator transaction;
    private final EndingSessions sessions;
    private final AuditTrail audit;
    private final Clock clock;
    private final java.time.Duration changeTimeout;

    public ResettingPassword(UserProfileStore profiles, PasswordTokens tokens, KeycloakUsers keycloak, Mailer mailer,
            TransactionalOperator transaction, EndingSessions sessions, AuditTrail audit, Clock clock, UserChangeProperties change) {
        this.changeTimeout = change.timeout();
        this.audit = audit;
        this.sessions = sessions;
        this.profiles = profiles;
        this.tokens = tokens;
        this.keycloak = keycloak;
        this.mailer = mailer;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Fire and forget: the caller's answer must not wait on, or reveal, any of this. */
    public void requestInBackground(String email, ContextView requestContext) {
        Instant now = now();
        profiles.findActiveByEmail(email)
                .flatMap(user -> tokens.revoke(user.userId(), PasswordTokens.Purpose.PASSWORD, now)
                        .then(tokens.issue(user.userId(), user.tenantId(), PasswordTokens.Purpose.RESET, now))
                        .flatMap(token -> audit.record(UserAudit.about("auth.password_reset_requested", null, user.tenantId(),
                                user.userId())).thenReturn(token))
                        .as(transaction::transactional)
                        .flatMap(token -> mailer.sendReset(user.email(), user.language(), token)))
                .onErrorResume(e -> RequestLogContext.log(() -> log.warn("Password reset request failed: {}", e.toString())))
                .contextWrite(requestContext)
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe();
    }

    public Mono<Void> confirm(String token, String newPassword) {
        Instant now = now();
        return tokens.redeem(token, PasswordTokens.Purpose.PASSWORD, now)
                .switchIfEmpty(Mono.error(() -> new ProblemException(ProblemType.INVALID_TOKEN,
                        "This link is invalid, expired or already used.")))
                .flatMap(redeemed -> {
                    Mono<Boolean> setPassword = Mono.fromCallable(() -> {
                        keycloak.resetPassword(redeemed.userId(), newPassword);
                        return true;
                    }).subscribeOn(Schedulers.boundedElastic());
                    // an invitation sets the first password: there is no earlier session to end
                    return tokens.revoke(redeemed.userId(), PasswordTokens.Purpose.PASSWORD, now)
                            .then(audit.record(UserAudit.about(redeemed.purpose() == PasswordTokens.Purpose.INVITATION
                                    ? "auth.invitation_accepted" : "auth.password_reset", redeemed.userId(), redeemed.tenantId(),
                                    redeemed.userId())))
                            .then(redeemed.purpose() == PasswordTokens.Purpose.INVITATION ? setPassword
                                    : sessions.endAll(redeemed.userId(), redeemed.tenantId(),
                                            SessionsEndedReason.PASSWORD_RESET, setPassword));
                })
                .onErrorMap(BadRequestException.class, e -> ProblemException.validation("new_password",
                        policyReason(e)))
                .as(body -> profiles.boundTransaction(changeTimeout).then(body))
                .as(transaction::transactional) // a refused password leaves the token usable
                // the token's row is locked while Keycloak is called: the whole is bounded, as a user change is
                .timeout(changeTimeout)
                .onErrorMap(e -> e instanceof jakarta.ws.rs.ProcessingException
                        || (e instanceof jakarta.ws.rs.WebApplicationException && !(e instanceof BadRequestException))
                        || e instanceof java.util.concurrent.TimeoutException || UserProfileStore.timedOut(e),
                        e -> new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                                "The identity provider is unavailable; the link still works. Try again later."))
                .then();
    }

    private static String policyReason(BadRequestException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            int at = body.indexOf("\"error_description\"");
            if (at >= 0) {
                int start = body.indexOf('"', body.indexOf(':', at) + 1) + 1;
                return body.substring(start, body.indexOf('"', start));
            }
        } catch (RuntimeException ignored) {
            // fall through to the generic reason
        }
        return "does not meet the password policy";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
