package eu.erpdetachement.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.security.Role;

class LastActiveAdminGuardTest {

    private final LastActiveAdminGuard guard = new LastActiveAdminGuard();

    private static UserProfile user(Role role, boolean active) {
        return new UserProfile(UUID.randomUUID(), UUID.randomUUID(), "a@b.test", role, active, "fr", null, null, null);
    }

    @Test
    void refuses_to_demote_or_deactivate_the_last_active_admin() {
        assertThat(guard.check(user(Role.TENANT_ADMIN, true), 1, false)).isPresent();
    }

    @Test
    void allows_it_when_another_active_admin_remains() {
        assertThat(guard.check(user(Role.TENANT_ADMIN, true), 2, false)).isEmpty();
    }

    @Test
    void does_not_count_changes_that_keep_the_admin_active() {
        assertThat(guard.check(user(Role.TENANT_ADMIN, true), 1, true)).isEmpty();
    }

    @Test
    void other_users_are_not_guarded() {
        assertThat(guard.check(user(Role.MANAGER, true), 1, false)).isEmpty();
        assertThat(guard.check(user(Role.TENANT_ADMIN, false), 1, false)).isEmpty();
    }
}
