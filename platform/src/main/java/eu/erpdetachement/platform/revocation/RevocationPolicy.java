package eu.erpdetachement.platform.revocation;

import java.time.Instant;
import java.util.Optional;

import eu.erpdetachement.platform.security.Caller;

/**
 * Which signed, unexpired token is still honoured, and with which rights: the token proves who
 * calls, the {@link CallerState} says what that user may do now. Pure, so the rules are tested alone.
 */
public final class RevocationPolicy {

    /** The answer for one token. */
    public sealed interface Decision {
    }

    /** Honoured, with the current role and worker id. */
    public record Accepted(Caller caller) implements Decision {
    }

    /** Refused with 401 invalid_token; {@code reason} is the problem's detail. */
    public record Refused(String reason) implements Decision {
    }

    public static final String SESSION_ENDED = "The session has ended; sign in again.";
    public static final String DEACTIVATED = "The user is deactivated.";
    public static final String NOT_THIS_USER = "The token does not match the user.";

    private RevocationPolicy() {
    }

    /**
     * @param claimed  the caller as the token describes it
     * @param issuedAt the token's {@code iat}; null when absent
     * @param state    what the service knows now about that user
     */
    public static Decision decide(Caller claimed, Instant issuedAt, CallerState state) {
        if (state.sessionEnded()) {
            return new Refused(SESSION_ENDED);
        }
        // iat has whole seconds: like Keycloak's not-before, a token of the same second is kept.
        // Sessions alive at that moment are also ended by id, so none issued before survives.
        if (state.sessionsValidAfter() != null
                && (issuedAt == null || issuedAt.getEpochSecond() < state.sessionsValidAfter().getEpochSecond())) {
            return new Refused(SESSION_ENDED);
        }
        if (!state.knowsAccess()) {
            return new Accepted(claimed);
        }
        if (state.tenantId() != null && !state.tenantId().equals(claimed.tenantId())) {
            return new Refused(NOT_THIS_USER);
        }
        if (!state.active()) {
            return new Refused(DEACTIVATED);
        }
        return new Accepted(claimed.withAccess(state.role(), Optional.ofNullable(state.workerId())));
    }
}
