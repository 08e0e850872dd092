package eu.erpdetachement.identity.sessions;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.identity.audit.UserAudit;
import eu.erpdetachement.identity.events.UserEvents;
import eu.erpdetachement.identity.events.UserEvents.SessionsEndedReason;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Ends sessions for every service at once: records them in this service's caller state (so the
 * next request here is refused) and announces them with UserSessionsEnded (so files and check-in
 * refuse them as soon as they have read it). Runs inside the caller's transaction, so what is
 * recorded is rolled back when Keycloak refuses.
 */
@Service
public class EndingSessions {

    /** The event's limit (contracts/events/UserSessionsEnded); more open sessions end by the not-before second. */
    private static final int MAX_IDS = 1000;

    private final CallerStateStore states;
    private final OutboxWriter outbox;
    private final KeycloakUsers keycloak;
    private final AuditTrail audit;
    private final Clock clock;

    public EndingSessions(CallerStateStore states, OutboxWriter outbox, KeycloakUsers keycloak, AuditTrail audit, Clock clock) {
        this.states = states;
        this.audit = audit;
        this.outbox = outbox;
        this.keycloak = keycloak;
        this.clock = clock;
    }

    /** A sign-out: the one session of the token (its {@code sid}). */
    public Mono<Void> endOne(UUID userId, UUID tenantId, String sessionId) {
        Instant now = now();
        return states.endSessions(userId, tenantId, List.of(sessionId), null, now)
                .then(outbox.append(UserEvents.sessionsEnded(userId, tenantId, List.of(sessionId), null,
                        SessionsEndedReason.LOGOUT, now)))
                .then(audit.record(UserAudit.about("auth.signed_out", userId, tenantId, userId)));
    }

    /**
     * Every session of the user, around {@code keycloakChange} (which ends them in Keycloak): tokens
     * issued before Keycloak's not-before second, and, by id, the sessions open just before the
     * change (which covers a token issued in that same second, before the change).
     */
    public <T> Mono<T> endAll(UUID userId, UUID tenantId, SessionsEndedReason reason, Mono<T> keycloakChange) {
        return blocking(() -> keycloak.sessionIds(userId))
                .flatMap(open -> keycloakChange.flatMap(result -> blocking(() -> keycloak.notBefore(userId))
                        .flatMap(notBefore -> {
                            Instant now = now();
                            Instant validAfter = notBefore.orElse(now.truncatedTo(ChronoUnit.SECONDS));
                            List<String> ids = open.size() > MAX_IDS ? open.subList(0, MAX_IDS) : open;
                            return states.endSessions(userId, tenantId, ids, validAfter, now)
                                    .then(outbox.append(UserEvents.sessionsEnded(userId, tenantId, ids, validAfter, reason, now)))
                                    .thenReturn(result);
                        })));
    }

    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
