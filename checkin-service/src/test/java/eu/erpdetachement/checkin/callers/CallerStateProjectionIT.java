package eu.erpdetachement.checkin.callers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import eu.erpdetachement.platform.revocation.CallerState;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import eu.erpdetachement.platform.revocation.UserEventsProjection;
import eu.erpdetachement.platform.security.Role;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/** The projection of erp.identity.user.v1 on this service's tables: late and repeated events change nothing. */
@SpringBootTest
class CallerStateProjectionIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    CallerStateStore store;

    private final UUID user = UUID.randomUUID();
    private final UUID tenant = UUID.randomUUID();
    private final Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false"); // no broker here: the projection consumers stay off
        registry.add("erp.caller-state.consume-user-events", () -> "false");
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    private void apply(String type, String json) {
        new UserEventsProjection(store).apply(type, JSON.readTree(json)).block(Duration.ofSeconds(10));
    }

    private CallerState state(String sid) {
        return store.find(user, sid).block(Duration.ofSeconds(10));
    }

    @Test
    void the_latest_access_wins_whatever_the_order_of_delivery() {
        String created = """
                {"user_id":"%s","tenant_id":"%s","email":"w@acme.test","role_type":"manager","is_active":true,
                 "worker_id":null,"language":"en","created_by":null,"created_at":"%s"}""".formatted(user, tenant, t0);
        String demoted = """
                {"user_id":"%s","tenant_id":"%s","old_role_type":"manager","new_role_type":"worker","changed_by":"%s",
                 "changed_at":"%s","is_active":true,"worker_id":"%s"}""".formatted(user, tenant, user, t0.plusSeconds(1), user);
        String deactivated = """
                {"user_id":"%s","tenant_id":"%s","is_active":false,"changed_by":"%s","changed_at":"%s",
                 "role_type":"worker","worker_id":"%s"}""".formatted(user, tenant, user, t0.plusSeconds(2), user);

        apply("UserStatusChanged", deactivated);
        apply("UserRoleChanged", demoted);
        apply("UserCreated", created);
        apply("UserCreated", created);

        CallerState state = state(null);
        assertThat(state.role()).isEqualTo(Role.WORKER);
        assertThat(state.active()).isFalse();
        assertThat(state.workerId()).isEqualTo(user);
        assertThat(state.tenantId()).isEqualTo(tenant);
        assertThat(store.isActiveWorker(tenant, user).block()).isFalse();
    }

    @Test
    void sessions_end_by_id_and_by_instant_which_only_moves_forward() {
        String sid = UUID.randomUUID().toString();
        apply("UserSessionsEnded", """
                {"user_id":"%s","tenant_id":"%s","session_ids":["%s"],"sessions_valid_after":null,"reason":"logout",
                 "ended_at":"%s"}""".formatted(user, tenant, sid, t0));
        apply("UserSessionsEnded", """
                {"user_id":"%s","tenant_id":"%s","session_ids":[],"sessions_valid_after":"%s","reason":"password_reset",
                 "ended_at":"%s"}""".formatted(user, tenant, t0.plusSeconds(60), t0.plusSeconds(60)));
        apply("UserSessionsEnded", """
                {"user_id":"%s","tenant_id":"%s","session_ids":[],"sessions_valid_after":"%s","reason":"deactivated",
                 "ended_at":"%s"}""".formatted(user, tenant, t0, t0));

        assertThat(state(sid).sessionEnded()).isTrue();
        assertThat(state("another-session").sessionEnded()).isFalse();
        assertThat(state(null).sessionsValidAfter()).isEqualTo(t0.plusSeconds(60));
        assertThat(state(null).knowsAccess()).as("known only by its sessions").isFalse();
    }

    @Test
    void an_unknown_user_is_unknown() {
        assertThat(state("sid")).isEqualTo(CallerState.UNKNOWN);
    }
}
