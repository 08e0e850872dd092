package eu.erpdetachement.identity.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Who may erase whom, and what an erased user's email becomes. Nobody erases themselves (an admin
 * who leaves is erased by another admin), and the last active admin stays: a tenant always keeps one
 * ({@link LastActiveAdminGuard}). The pseudonym is derived from the user id alone, under the
 * reserved {@code .invalid} domain (RFC 2606): it is unique, names nobody, and can never receive mail.
 */
public final class ErasurePolicy {

    static final String PSEUDONYM_DOMAIN = "erased.invalid";

    private final LastActiveAdminGuard lastAdminGuard = new LastActiveAdminGuard();

    /** Why {@code adminId} may not erase {@code target} now, if they may not. */
    public Optional<String> check(UUID adminId, UserProfile target, long activeAdmins) {
        if (adminId.equals(target.userId())) {
            return Optional.of("Nobody can erase themselves.");
        }
        return lastAdminGuard.check(target, activeAdmins, false);
    }

    public static String pseudonymEmail(UUID userId) {
        return "erased-" + userId + "@" + PSEUDONYM_DOMAIN;
    }
}
