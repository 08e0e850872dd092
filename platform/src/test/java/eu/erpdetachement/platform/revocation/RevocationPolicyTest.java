package eu.erpdetachement.platform.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.revocation.RevocationPolicy.Accepted;
import eu.erpdetachement.platform.revocation.RevocationPolicy.Refused;
import eu.erpdetachement.platform.security.Caller;
import eu.erpdetachement.platform.security.Role;

class RevocationPolicyTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID WORKER = UUID.randomUUID();
    private static final Instant ISSUED = Instant.parse("2026-11-25T10:00:00Z");
    private final Caller admin = new Caller(UUID.randomUUID(), TENANT, Role.TENANT_ADMIN, Optional.empty(), "a@acme.test", "t");

    private static CallerState state(Role role, boolean active, UUID worker, Instant validAfter, boolean ended) {
        return new CallerState(TENANT, role, active, worker, validAfter, ended);
    }

    @Test
    void an_unknown_user_is_judged_by_the_token() {
        assertThat(RevocationPolicy.decide(admin, ISSUED, CallerState.UNKNOWN)).isEqualTo(new Accepted(admin));
    }

    @Test
    void the_current_role_and_worker_id_replace_the_token_claims() {
        var decision = RevocationPolicy.decide(admin, ISSUED, state(Role.WORKER, true, WORKER, null, false));

        assertThat(decision).isInstanceOf(Accepted.class);
        Caller caller = ((Accepted) decision).caller();
        assertThat(caller.role()).isEqualTo(Role.WORKER);
        assertThat(caller.workerId()).contains(WORKER);
        assertThat(caller.userId()).isEqualTo(admin.userId());
        assertThat(caller.tenantId()).isEqualTo(TENANT);
    }

    @Test
    void a_role_without_worker_id_has_none_whatever_the_token_says() {
        Caller worker = admin.withAccess(Role.WORKER, Optional.of(WORKER));
        var decision = RevocationPolicy.decide(worker, ISSUED, state(Role.MANAGER, true, null, null, false));

        assertThat(((Accepted) decision).caller().workerId()).isEmpty();
    }

    @Test
    void a_deactivated_user_is_refused() {
        assertThat(RevocationPolicy.decide(admin, ISSUED, state(Role.TENANT_ADMIN, false, null, null, false)))
                .isEqualTo(new Refused(RevocationPolicy.DEACTIVATED));
    }

    @Test
    void an_ended_session_is_refused_even_for_an_active_user() {
        assertThat(RevocationPolicy.decide(admin, ISSUED, state(Role.TENANT_ADMIN, true, null, null, true)))
                .isEqualTo(new Refused(RevocationPolicy.SESSION_ENDED));
        assertThat(RevocationPolicy.decide(admin, ISSUED, new CallerState(null, null, null, null, null, true)))
                .isEqualTo(new Refused(RevocationPolicy.SESSION_ENDED));
    }

    @Test
    void a_token_issued_in_an_earlier_second_than_the_sessions_end_is_refused() {
        Instant ended = ISSUED.plusMillis(1_200);

        assertThat(RevocationPolicy.decide(admin, ISSUED, state(Role.TENANT_ADMIN, true, null, ended, false)))
                .isEqualTo(new Refused(RevocationPolicy.SESSION_ENDED));
        assertThat(RevocationPolicy.decide(admin, ISSUED, new CallerState(null, null, null, null, ended, false)))
                .as("known only by its sessions' end").isEqualTo(new Refused(RevocationPolicy.SESSION_ENDED));
        assertThat(RevocationPolicy.decide(admin, null, state(Role.TENANT_ADMIN, true, null, ended, false)))
                .as("no iat").isEqualTo(new Refused(RevocationPolicy.SESSION_ENDED));
    }

    @Test
    void a_token_of_the_same_second_or_later_outlives_the_sessions_end() {
        // a sign-in right after a password reset must work; same-second older sessions are ended by id
        Instant ended = ISSUED.plusMillis(700);

        assertThat(RevocationPolicy.decide(admin, ISSUED, state(Role.TENANT_ADMIN, true, null, ended, false)))
                .isInstanceOf(Accepted.class);
        assertThat(RevocationPolicy.decide(admin, ISSUED.plusSeconds(5), state(Role.TENANT_ADMIN, true, null, ended, false)))
                .isInstanceOf(Accepted.class);
    }

    @Test
    void a_state_of_another_tenant_refuses_the_token() {
        var other = new CallerState(UUID.randomUUID(), Role.TENANT_ADMIN, true, null, null, false);

        assertThat(RevocationPolicy.decide(admin, ISSUED, other)).isEqualTo(new Refused(RevocationPolicy.NOT_THIS_USER));
    }
}
