package eu.erpdetachement.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.security.Role;

class ErasurePolicyTest {

    private final ErasurePolicy policy = new ErasurePolicy();
    private final UUID admin = UUID.randomUUID();

    @Test
    void refuses_an_admin_erasing_themselves() {
        assertThat(policy.check(admin, user(admin, Role.TENANT_ADMIN, true), 5)).contains("Nobody can erase themselves.");
    }

    @Test
    void refuses_erasing_the_last_active_admin() {
        assertThat(policy.check(admin, user(UUID.randomUUID(), Role.TENANT_ADMIN, true), 1)).isPresent();
    }

    @Test
    void allows_erasing_an_admin_when_another_active_admin_remains() {
        assertThat(policy.check(admin, user(UUID.randomUUID(), Role.TENANT_ADMIN, true), 2)).isEmpty();
    }

    @Test
    void allows_erasing_an_inactive_admin_or_any_other_role() {
        assertThat(policy.check(admin, user(UUID.randomUUID(), Role.TENANT_ADMIN, false), 1)).isEmpty();
        assertThat(policy.check(admin, user(UUID.randomUUID(), Role.WORKER, true), 1)).isEmpty();
    }

    @Test
    void the_pseudonym_is_derived_from_the_user_id_alone_under_a_reserved_domain() {
        UUID id = UUID.fromString("28c00db3-fc23-4cf2-8c9e-f8e466ccff91");
        assertThat(ErasurePolicy.pseudonymEmail(id)).isEqualTo("erased-28c00db3-fc23-4cf2-8c9e-f8e466ccff91@erased.invalid");
        assertThat(EmailAddress.normalize(ErasurePolicy.pseudonymEmail(id))).isPresent();
    }

    private static UserProfile user(UUID id, Role role, boolean active) {
        return new UserProfile(id, UUID.randomUUID(), "u@acme.test", role, active, "fr", null, Instant.EPOCH, Instant.EPOCH);
    }
}
