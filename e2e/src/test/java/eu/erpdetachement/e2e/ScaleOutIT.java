package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.devstack.ChildProcess;
import eu.erpdetachement.devstack.DevstackConfig;
import eu.erpdetachement.devstack.RunningStack;
import eu.erpdetachement.platform.testkit.Parallel;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scale-out on one machine (issue 13, decision 0024): a second instance of identity, files and
 * check-in, and a second gateway that balances each service round-robin over both instances. They
 * share nothing but PostgreSQL, Kafka, Keycloak and S3, so the race tests' invariants must hold
 * when the racing requests land on different instances: one check-in per chain, one answer per
 * idempotency key, one first write of a tenant's settings, a last active admin. Each test also
 * proves that both instances served the race (their own request counters moved). The relay's
 * one-active-plus-standby is proved and timed by {@link RelayStandbyIT}.
 */
@ExtendWith(EmbeddedStack.class)
class ScaleOutIT {

    private static final List<String> SERVICES = List.of("identity-service", "files-service", "checkin-service");
    /** The race tenant of the last-admin races (see DevstackConfig.forTests and IdentityIntegrityIT). */
    private static final DevstackConfig.Tenant SETTINGS_TENANT = DevstackConfig.UNTOUCHED_TEST_TENANT;

    /** The stack's own gateway: every service's first instance only. Used to set races up. */
    private static final Api direct = EmbeddedStack.gateway();
    /** The second gateway: every request to a service goes to its next instance, in turn. */
    private static Api balanced;
    /** Service → the management URLs of its two instances. */
    private static final Map<String, List<String>> instances = new LinkedHashMap<>();
    private static final List<ChildProcess> started = new ArrayList<>();
    private static String acme;

    @BeforeAll
    static void startSecondInstancesAndABalancingGateway() throws Exception {
        RunningStack stack = EmbeddedStack.stack();
        Map<String, String> upstreams = new LinkedHashMap<>();
        for (String service : SERVICES) {
            // ephemeral ports, never beside the stack's own: another checkout's stack may use those
            int port = freePort();
            int managementPort = freePort();
            started.add(stack.startExtraInstance(service, port, managementPort, service + "-2"));
            instances.put(service, List.of(stack.managementUrl(service), "http://127.0.0.1:" + managementPort));
            upstreams.put(service, stack.serviceUrl(service).replace("localhost", "127.0.0.1") + ",http://127.0.0.1:" + port);
        }
        int gatewayPort = freePort();
        started.add(stack.startExtraInstance("gateway", gatewayPort, freePort(), "gateway-balancing", Map.of(
                "ERP_IDENTITY_URL", upstreams.get("identity-service"),
                "ERP_FILES_URL", upstreams.get("files-service"),
                "ERP_CHECKIN_URL", upstreams.get("checkin-service"))));
        balanced = new Api("http://localhost:" + gatewayPort);
        acme = EmbeddedStack.ACME_ADMIN.signIn(direct);
    }

    @AfterAll
    static void stopThem() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    // --- check-in ----------------------------------------------------------------------------------

    @Test
    void racing_check_ins_of_one_worker_on_both_instances_give_exactly_one_201() throws Exception {
        UUID worker = Members.workerKnownToCheckin(direct, acme);
        UUID mission = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(60);
        List<Long> before = served("checkin-service");

        List<Integer> statuses = Parallel.run(20, i -> balanced.postJson(checkEvents(mission), acme,
                checkIn(worker, at.plusMillis(i))).status());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        assertThat(count("SELECT count(*) FROM checkin.worker_check_events WHERE mission_id = ?", mission)).isEqualTo(1);
        awaitBothServed("checkin-service", before, 10);
    }

    @Test
    void retries_of_one_idempotency_key_on_both_instances_record_one_check_in() throws Exception {
        UUID worker = Members.workerKnownToCheckin(direct, acme);
        UUID mission = UUID.randomUUID();
        Map<String, Object> request = checkIn(worker, Instant.now().minusSeconds(60));
        String body = Api.JSON.writeValueAsString(request);
        Map<String, String> key = Map.of("Idempotency-Key", "scale-out-" + UUID.randomUUID());
        List<Long> before = served("checkin-service");

        List<Api.Reply> replies = Parallel.run(20, i -> balanced.post(checkEvents(mission), acme, "application/json", body, key));

        assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
        assertThat(replies.stream().map(Api.Reply::body).distinct()).hasSize(1);
        assertThat(count("SELECT count(*) FROM checkin.worker_check_events WHERE mission_id = ?", mission)).isEqualTo(1);
        awaitBothServed("checkin-service", before, 10);
    }

    // --- files -------------------------------------------------------------------------------------

    @Test
    void retries_of_one_file_registration_on_both_instances_register_one_file() throws Exception {
        byte[] content = FilesIT.Content.bytes(1000, 31);
        String path = "e2e/" + UUID.randomUUID() + "/scale-out.pdf";
        String body = Api.JSON.writeValueAsString(FilesIT.registration(path, "scale-out.pdf", "application/pdf",
                content.length, FilesIT.Content.sha256(content)));
        Map<String, String> key = Map.of("Idempotency-Key", "scale-out-" + UUID.randomUUID());
        List<Long> before = served("files-service");

        List<Api.Reply> replies = Parallel.run(12, i -> balanced.post("/v1/files", acme, "application/json", body, key));

        assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
        assertThat(replies.stream().map(r -> r.json().get("file_id").asString()).distinct()).hasSize(1);
        assertThat(replies.stream().map(Api.Reply::body).distinct()).hasSize(1);
        assertThat(count("SELECT count(*) FROM files.files WHERE object_key LIKE '%' || ?", path)).isEqualTo(1);
        awaitBothServed("files-service", before, 6);
    }

    // --- identity ----------------------------------------------------------------------------------

    @Test
    void racing_first_writes_of_settings_on_both_instances_give_one_200_and_every_projection_follows() throws Exception {
        String token = new EmbeddedStack.Admin(SETTINGS_TENANT.id(), SETTINGS_TENANT.adminEmail(), SETTINGS_TENANT.adminPassword())
                .signIn(direct);
        settingsNeverWritten();
        List<Long> before = served("identity-service");

        List<Integer> statuses = Parallel.run(12, i -> balanced.patchJson("/v1/tenant-settings", token, settings(24 + i),
                Map.of("If-Match", "\"0\"")).status());

        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(11);
        awaitBothServed("identity-service", before, 6);
        // the next writes, each from the ETag just read, wherever they land
        for (int hours : new int[] {200, 201, 202}) {
            String etag = balanced.get("/v1/tenant-settings", token).header("ETag");
            assertThat(balanced.patchJson("/v1/tenant-settings", token, settings(hours), Map.of("If-Match", etag)).status())
                    .isEqualTo(200);
        }
        assertThat(balanced.get("/v1/tenant-settings", token).header("ETag")).isEqualTo("\"4\"");
        // each service's instances share one consumer group and one projection table: it ends equal to identity's
        String stored = settingsRow("identity.tenant_settings");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(settingsRow("files.tenant_settings_view")).isEqualTo(stored);
            assertThat(settingsRow("checkin.tenant_settings_view")).isEqualTo(stored);
        });
    }

    /**
     * Each round two fresh admins, the tenant's only active ones, change each other at once through
     * the balancing gateway: round-robin sends the two requests to different identity instances.
     */
    @Test
    void admins_demoting_each_other_on_different_instances_always_leave_one_active_admin() throws Exception {
        int rounds = 4;
        List<Long> before = served("identity-service");
        for (int round = 1; round <= rounds; round++) {
            String boss = RaceTenant.signInAsActiveAdmin(direct);
            Members.Member a = Members.invite(direct, boss, "tenant_admin", Members.uniqueEmail("scale-a"));
            Members.Member b = Members.invite(direct, boss, "tenant_admin", Members.uniqueEmail("scale-b"));
            String tokenA = a.signIn(direct);
            String tokenB = b.signIn(direct);
            for (String other : RaceTenant.activeAdmins()) {
                if (!other.equals(a.userId()) && !other.equals(b.userId())) {
                    Api.Reply demoted = direct.patchJson("/v1/users/" + other + "/role", tokenA, Map.of("role_type", "manager"), Map.of());
                    assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
                }
            }
            assertThat(RaceTenant.activeAdmins()).containsExactlyInAnyOrder(a.userId(), b.userId());

            Map<String, String> demote = Map.of("role_type", "manager");
            List<Api.Reply> replies = Parallel.run(2, i -> i == 0
                    ? balanced.patchJson("/v1/users/" + b.userId() + "/role", tokenA, demote, Map.of())
                    : balanced.patchJson("/v1/users/" + a.userId() + "/role", tokenB, demote, Map.of()));

            List<Integer> statuses = replies.stream().map(Api.Reply::status).toList();
            assertThat(statuses).as("round %d: %s", round, replies.stream().map(Api.Reply::body).toList()).containsOnlyOnce(200);
            assertThat(statuses).allMatch(s -> s == 200 || s == 409 || s == 403 || s == 401);
            assertThat(RaceTenant.activeAdmins()).as("round %d", round).hasSize(1);
        }
        // only the races went through the balancing gateway: the second instance took one request of each pair
        await("the second identity instance to count its requests").atMost(Duration.ofSeconds(10))
                .until(() -> served("identity-service").get(1) - before.get(1) >= rounds);
        assertThat(served("identity-service").get(1) - before.get(1)).isEqualTo(rounds);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static String checkEvents(UUID mission) {
        return "/v1/missions/" + mission + "/worker-check-events";
    }

    private static Map<String, Object> checkIn(UUID worker, Instant at) {
        return Map.of("worker_id", worker.toString(), "event_type", "check_in", "occurred_at", at.toString(),
                "source", "web", "metadata", Map.of());
    }

    private static ObjectNode settings(int hours) {
        ObjectNode patch = Api.JSON.createObjectNode();
        patch.putObject("settings").put("checkin_backdating_window_hours", hours);
        return patch;
    }

    /**
     * How many API requests each instance of a service has answered, from its own
     * http_server_requests counter (its management port; actuator requests left out).
     */
    private static List<Long> served(String service) {
        List<Long> counts = new ArrayList<>();
        for (String management : instances.get(service)) {
            Api.Reply metrics = direct.raw(HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus")).GET());
            assertThat(metrics.status()).isEqualTo(200);
            counts.add(metrics.body().lines()
                    .filter(l -> l.startsWith("http_server_requests_seconds_count{") && !l.contains("uri=\"/actuator"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum());
        }
        return counts;
    }

    /** Both instances answered part of the race (round-robin: about half each of {@code requests}). */
    private static void awaitBothServed(String service, List<Long> before, int atLeastEach) {
        await("both " + service + " instances to have served the race").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Long> after = served(service);
            assertThat(after.get(0) - before.get(0)).as("first instance").isGreaterThanOrEqualTo(atLeastEach);
            assertThat(after.get(1) - before.get(1)).as("second instance").isGreaterThanOrEqualTo(atLeastEach);
        });
    }



    /** A stack whose data survives from an earlier run: the settings race needs a tenant never written. */
    private static void settingsNeverWritten() throws Exception {
        try (Connection c = db()) {
            for (String table : List.of("identity.tenant_settings", "files.tenant_settings_view", "checkin.tenant_settings_view")) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?::uuid")) {
                    delete.setString(1, SETTINGS_TENANT.id());
                    delete.executeUpdate();
                }
            }
        }
    }

    private static String settingsRow(String table) throws Exception {
        try (Connection c = db(); PreparedStatement q = c.prepareStatement("SELECT (settings->>'checkin_backdating_window_hours')"
                + " || ' v' || version FROM " + table + " WHERE tenant_id = ?::uuid")) {
            q.setString(1, SETTINGS_TENANT.id());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long count(String sql, Object parameter) throws Exception {
        try (Connection c = db(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
