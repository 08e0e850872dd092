package eu.erpdetachement.platform.revocation;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.platform.security.Role;

/**
 * What a service currently knows about a user, whatever their token says. Every field may be
 * unknown (null): a user the service has not heard of yet is judged by the token alone.
 *
 * @param tenantId           the user's tenant; null when the access below is unknown
 * @param role               the current role; null when the access is unknown
 * @param active             whether the user may act; null when the access is unknown
 * @param workerId           the current worker id (null: none, or unknown when role is null)
 * @param sessionsValidAfter tokens issued before this second were ended (password reset, deactivation)
 * @param sessionEnded       the token's own session ({@code sid}) was ended (sign-out)
 */
public record CallerState(UUID tenantId, Role role, Boolean active, UUID workerId, Instant sessionsValidAfter,
        boolean sessionEnded) {

    public static final CallerState UNKNOWN = new CallerState(null, null, null, null, null, false);

    public boolean knowsAccess() {
        return role != null && active != null;
    }
}
