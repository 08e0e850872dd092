package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.devstack.DevstackConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * Optimistic concurrency on a tenant's settings holds from the very first write (no stored row
 * yet, ETag "0"), and every service's projection ends equal to what identity stores.
 */
@ExtendWith(EmbeddedStack.class)
class TenantSettingsRaceIT {

    private static final DevstackConfig.Tenant TENANT = DevstackConfig.UNTOUCHED_TEST_TENANT;
    private final Api api = EmbeddedStack.gateway();

    @Test
    void racing_first_writes_give_one_200_and_the_projections_follow_identity() throws Exception {
        String token = new EmbeddedStack.Admin(TENANT.id(), TENANT.adminEmail(), TENANT.adminPassword()).signIn(api);
        neverWritten(); // a stack whose data survives from an earlier run (a developer's re-run)
        assertThat(api.get("/v1/tenant-settings", token).header("ETag")).isEqualTo("\"0\"");

        int racers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            int hours = 24 + i;
            answers.add(pool.submit(() -> {
                start.await();
                return api.patchJson("/v1/tenant-settings", token, patch(hours), Map.of("If-Match", "\"0\"")).status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(racers - 1);

        // a few more changes, each from the ETag just read
        for (int hours : new int[] {100, 101, 102}) {
            String etag = api.get("/v1/tenant-settings", token).header("ETag");
            assertThat(api.patchJson("/v1/tenant-settings", token, patch(hours), Map.of("If-Match", etag)).status()).isEqualTo(200);
        }
        Api.Reply current = api.get("/v1/tenant-settings", token);
        assertThat(current.header("ETag")).isEqualTo("\"4\"");

        // identity stores the overrides, the projections the effective settings: compare the key and the version
        String stored = query("SELECT (settings->>'checkin_backdating_window_hours') || ' v' || version FROM identity.tenant_settings WHERE tenant_id = ?::uuid");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(query("SELECT (settings->>'checkin_backdating_window_hours') || ' v' || version FROM files.tenant_settings_view WHERE tenant_id = ?::uuid"))
                    .isEqualTo(stored);
            assertThat(query("SELECT (settings->>'checkin_backdating_window_hours') || ' v' || version FROM checkin.tenant_settings_view WHERE tenant_id = ?::uuid"))
                    .isEqualTo(stored);
        });
    }

    private static ObjectNode patch(int hours) {
        ObjectNode patch = Api.JSON.createObjectNode();
        patch.putObject("settings").put("checkin_backdating_window_hours", hours);
        return patch;
    }

    private static void neverWritten() throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres")) {
            for (String table : List.of("identity.tenant_settings", "files.tenant_settings_view", "checkin.tenant_settings_view")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?::uuid")) {
                    delete.setString(1, TENANT.id());
                    delete.executeUpdate();
                }
            }
        }
    }

    private static String query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, TENANT.id());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
