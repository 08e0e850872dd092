package eu.erpdetachement.identity.sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.audit.UserAudit;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.platform.logging.RequestLogContext;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Audits a refused sign-in of a known user: {@code auth.sign_in_failed}, or {@code auth.account_locked}
 * when Keycloak's brute-force detection holds the account locked. Done in the background, like a
 * password-reset request, so the refusal's timing says nothing about whether the address exists.
 * An address nobody has belongs to no tenant: nothing is recorded for it (the metric counts it).
 */
@Component
public class SignInFailures {

    private static final Logger log = LoggerFactory.getLogger(SignInFailures.class);

    private final UserProfileStore profiles;
    private final KeycloakUsers keycloak;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;

    public SignInFailures(UserProfileStore profiles, KeycloakUsers keycloak, AuditTrail audit, TransactionalOperator transaction) {
        this.profiles = profiles;
        this.keycloak = keycloak;
        this.audit = audit;
        this.transaction = transaction;
    }

    public void recordInBackground(String email, ContextView requestContext) {
        profiles.findByEmail(email)
                .flatMap(user -> Mono.fromCallable(() -> keycloak.lockedOut(user.userId()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorReturn(false) // unknown lock state: still a failure worth recording
                        .flatMap(locked -> audit.record(UserAudit.about(locked ? "auth.account_locked" : "auth.sign_in_failed",
                                null, user.tenantId(), user.userId())).as(transaction::transactional)))
                .onErrorResume(e -> RequestLogContext.log(() -> log.warn("Refused sign-in not audited: {}", e.toString())))
                .contextWrite(requestContext)
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe();
    }
}
