package eu.erpdetachement.identity.domain;

import java.util.Optional;

import eu.erpdetachement.platform.security.Role;

/**
 * A tenant always keeps at least one active admin: the last one can be neither deactivated nor
 * demoted. Counting happens under a tenant lock, so two admins demoting each other cannot both win.
 */
public final class LastActiveAdminGuard {

    /**
     * @param target          the user being changed, as it is now
     * @param activeAdmins    how many active tenant admins the tenant has now
     * @param staysActiveAdmin whether the target is still an active admin after the change
     */
    public Optional<String> check(UserProfile target, long activeAdmins, boolean staysActiveAdmin) {
        boolean isActiveAdmin = target.active() && target.role() == Role.TENANT_ADMIN;
        if (isActiveAdmin && !staysActiveAdmin && activeAdmins <= 1) {
            return Optional.of("This user is the last active tenant admin of the tenant.");
        }
        return Optional.empty();
    }
}
