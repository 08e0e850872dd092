package eu.erpdetachement.platform.revocation;

import java.util.UUID;

import reactor.core.publisher.Mono;

/** Where a service reads the current state of a caller; always answers one state, maybe {@link CallerState#UNKNOWN}. */
public interface CallerStateLookup {

    /** @param sessionId the token's {@code sid}, or null */
    Mono<CallerState> find(UUID userId, String sessionId);
}
