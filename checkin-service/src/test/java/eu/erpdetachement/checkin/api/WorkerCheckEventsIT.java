package eu.erpdetachement.checkin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.OpenApiContract;
import eu.erpdetachement.platform.testkit.Parallel;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/** The check-in service on a real PostgreSQL with real signed tokens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WorkerCheckEventsIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    private final UUID tenant = UUID.randomUUID();
    private final UUID otherTenant = UUID.randomUUID();
    private final UUID workerUser = UUID.randomUUID();
    private final UUID workerId = UUID.randomUUID();
    private final String manager = TOKENS.token(UUID.randomUUID(), tenant, "manager", null);

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    eu.erpdetachement.platform.idempotency.IdempotencyPurge purge;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false"); // no broker here: the projection consumers stay off
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    /** The worker the manager records for, as identity announced it (caller state projection). */
    @BeforeEach
    void knownWorker() {
        callerState(workerUser, tenant, "worker", true, workerId, null);
    }

    private static void callerState(UUID user, UUID tenantId, String role, boolean active, UUID worker, Instant validAfter) {
        TestPostgres.execute("""
                INSERT INTO checkin.caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of, sessions_valid_after)
                VALUES (?, ?, ?, ?, ?, now(), ?)""", user, tenantId, role, active, worker,
                validAfter == null ? null : java.sql.Timestamp.from(validAfter));
    }

    private WebTestClient client() {
        // a bound for a slow, shared test machine, not a timed assertion
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    private static String body(UUID worker, String type, Instant at) {
        return """
                {"worker_id":"%s","event_type":"%s","occurred_at":"%s","source":"mobile","metadata":{"lat":48.8566,"lon":2.3522,"device_id":"phone-1"}}"""
                .formatted(worker, type, at);
    }

    private EntityExchangeResult<String> postUnchecked(String token, UUID mission, String body, Map<String, String> headers) {
        return client().post().uri("/v1/missions/" + mission + "/worker-check-events")
                .header("Authorization", "Bearer " + token)
                .headers(h -> headers.forEach(h::add))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectBody(String.class).returnResult();
    }

    /** Posts and holds the answer to the contract. */
    private EntityExchangeResult<String> post(String token, UUID mission, String body, Map<String, String> headers) {
        String path = "/v1/missions/" + mission + "/worker-check-events";
        EntityExchangeResult<String> result = postUnchecked(token, mission, body, headers);
        CONTRACT.assertResponse("POST", path, result.getStatus().value(),
                String.valueOf(result.getResponseHeaders().getContentType()), result.getResponseBody());
        return result;
    }

    private EntityExchangeResult<String> post(String token, UUID mission, String body) {
        return post(token, mission, body, Map.of());
    }

    private static long events(UUID mission) {
        return TestPostgres.count("SELECT count(*) FROM checkin.worker_check_events WHERE mission_id = ?", mission);
    }

    private static long outboxRows(UUID mission) {
        return TestPostgres.count("SELECT count(*) FROM checkin.outbox WHERE payload->>'mission_id' = ?", mission.toString());
    }

    @Test
    void a_check_in_then_a_check_out_are_recorded_with_their_events() {
        UUID mission = UUID.randomUUID();
        Instant nine = Instant.now().minus(2, ChronoUnit.HOURS);

        var in = post(manager, mission, body(workerId, "check_in", nine));
        var out = post(manager, mission, body(workerId, "check_out", nine.plus(1, ChronoUnit.HOURS)));

        assertThat(in.getStatus().value()).isEqualTo(201);
        assertThat(out.getStatus().value()).isEqualTo(201);
        assertThat(in.getResponseBody()).contains("\"event_type\":\"check_in\"").contains(workerId.toString());
        assertThat(in.getResponseHeaders().getLocation().getPath())
                .startsWith("/v1/missions/" + mission + "/worker-check-events/");
        assertThat(events(mission)).isEqualTo(2);
        assertThat(outboxRows(mission)).isEqualTo(2);
        assertThat(TestPostgres.count("SELECT count(*) FROM checkin.outbox WHERE payload->>'mission_id' = ? AND type = 'WorkerCheckEventRecorded'"
                + " AND aggregatetype = 'checkin.worker-check-event' AND aggregateid = ?", mission.toString(),
                mission + ":" + workerId)).isEqualTo(2);
    }

    @Test
    void rejects_check_out_without_open_check_in_and_says_the_state() {
        UUID mission = UUID.randomUUID();

        var result = post(manager, mission, body(workerId, "check_out", Instant.now().minusSeconds(60)));

        assertThat(result.getStatus().value()).isEqualTo(409);
        assertThat(result.getResponseBody()).contains("\"current_state\":\"not_checked_in\"");
        assertThat(events(mission)).isZero();
        assertThat(outboxRows(mission)).isZero();
    }

    @Test
    void rejects_an_event_not_later_than_the_previous() {
        UUID mission = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(600);
        post(manager, mission, body(workerId, "check_in", at));

        var result = post(manager, mission, body(workerId, "check_out", at.minusSeconds(1)));

        assertThat(result.getStatus().value()).isEqualTo(409);
        assertThat(result.getResponseBody()).contains("\"current_state\":\"checked_in\"");
        assertThat(events(mission)).isEqualTo(1);
    }

    @Test
    void fifty_parallel_check_ins_for_one_worker_give_exactly_one_201() throws Exception {
        UUID mission = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(60);

        List<Integer> statuses = Parallel.run(50, i -> post(manager, mission, body(workerId, "check_in", at.plusMillis(i)))
                .getStatus().value());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(49);
        assertThat(events(mission)).isEqualTo(1);
        assertThat(outboxRows(mission)).isEqualTo(1);
    }

    @Test
    void fifty_parallel_identical_requests_with_one_key_give_one_row_and_one_event() throws Exception {
        UUID mission = UUID.randomUUID();
        String request = body(workerId, "check_in", Instant.now().minusSeconds(60));
        String key = "retry-" + UUID.randomUUID();

        List<String> answers = Parallel.run(50, i -> {
            var result = post(manager, mission, request, Map.of("Idempotency-Key", key));
            return result.getStatus().value() + " " + result.getResponseBody();
        });

        assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("201 "));
        assertThat(answers.stream().distinct()).hasSize(1);
        assertThat(events(mission)).isEqualTo(1);
        assertThat(outboxRows(mission)).isEqualTo(1);
    }

    @Test
    void the_same_key_with_another_body_is_422() {
        UUID mission = UUID.randomUUID();
        String key = "k-" + UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(60);
        post(manager, mission, body(workerId, "check_in", at), Map.of("Idempotency-Key", key));

        var reused = post(manager, mission, body(workerId, "check_in", at.plusSeconds(1)), Map.of("Idempotency-Key", key));

        assertThat(reused.getStatus().value()).isEqualTo(422);
        assertThat(events(mission)).isEqualTo(1);
    }

    @Test
    void another_callers_replay_of_a_key_and_body_is_its_own_request() {
        UUID mission = UUID.randomUUID();
        String key = "shared-" + UUID.randomUUID();
        String request = body(workerId, "check_in", Instant.now().minusSeconds(60));
        String otherManager = TOKENS.token(UUID.randomUUID(), tenant, "manager", null);

        var first = post(manager, mission, request, Map.of("Idempotency-Key", key));
        var other = post(otherManager, mission, request, Map.of("Idempotency-Key", key));
        var retry = post(manager, mission, request, Map.of("Idempotency-Key", key));

        assertThat(first.getStatus().value()).isEqualTo(201);
        // processed for the other manager: the worker is already checked in, and nothing of the first answer leaks
        assertThat(other.getStatus().value()).isEqualTo(409);
        assertThat(other.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(other.getResponseBody()).doesNotContain(first.getResponseHeaders().getLocation().getPath()
                .substring(first.getResponseHeaders().getLocation().getPath().lastIndexOf('/') + 1));
        // the key still replays for its own caller
        assertThat(retry.getStatus().value()).isEqualTo(201);
        assertThat(retry.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(events(mission)).isEqualTo(1);
    }

    @Test
    void idempotency_keys_older_than_the_retention_are_purged_in_batches() throws Exception {
        UUID caller = UUID.randomUUID();
        try (Connection c = TestPostgres.superuserConnection(); var insert = c.prepareStatement("""
                INSERT INTO checkin.idempotency_keys (tenant_id, caller_id, operation, idempotency_key, request_hash,
                    response_status, response_body, created_at)
                SELECT ?, ?, 'purge-test', ? || i, repeat('a', 64), 201, '{}', now() - (? || ' hours')::interval
                FROM generate_series(1, ?) i""")) {
            insert.setObject(1, tenant);
            insert.setObject(2, caller);
            insert.setString(3, "old-");
            insert.setString(4, "25");
            insert.setInt(5, 2_500);
            insert.executeUpdate();
            // a key within the retention stays
            insert.setString(3, "recent-");
            insert.setString(4, "23");
            insert.setInt(5, 1);
            insert.executeUpdate();
        }

        Long purged = purge.purgeExpired().block(java.time.Duration.ofSeconds(60));

        assertThat(purged).isGreaterThanOrEqualTo(2_500);
        assertThat(TestPostgres.count("SELECT count(*) FROM checkin.idempotency_keys WHERE caller_id = ?", caller)).isEqualTo(1);
    }

    static Stream<Arguments> hostileBodies() {
        String worker = UUID.randomUUID().toString();
        String now = Instant.now().minusSeconds(30).toString();
        String big = "x".repeat(5000);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"worker_id\":", 400),
                Arguments.of("not an object", "[1,2,3]", 400),
                Arguments.of("worker_id not a uuid", "{\"worker_id\":\"42\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("worker_id a number", "{\"worker_id\":42,\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("unknown event type", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"lunch\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("unknown source", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"pigeon\",\"metadata\":{}}", 422),
                Arguments.of("date without offset", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"2026-11-24T10:00:00\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("date that is not a date", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"yesterday\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("date far in the future", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + Instant.now().plusSeconds(3600) + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("date older than the window", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + Instant.now().minus(4, ChronoUnit.DAYS) + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("metadata not an object", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":\"gps\"}", 422),
                Arguments.of("metadata over 4 KiB", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{\"notes\":\"" + big + "\"}}", 422),
                Arguments.of("unknown field", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{},\"tenant_id\":\"" + UUID.randomUUID() + "\"}", 422),
                Arguments.of("missing worker_id", "{\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("metadata holding NUL", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{\"device\":\"a\\u0000b\"}}", 422),
                Arguments.of("metadata with a NUL member name", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{\"\\u0000\":1}}", 422),
                Arguments.of("event_type holding NUL", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\\u0000\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 422),
                Arguments.of("source with a lone surrogate", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"\\ud800\",\"metadata\":{}}", 422),
                Arguments.of("duplicate key", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"event_type\":\"check_out\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}", 400),
                Arguments.of("duplicate key inside metadata", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{\"a\":1,\"a\":2}}", 400),
                Arguments.of("a second document after the body", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{}}{}", 400),
                Arguments.of("body over 64 KB", "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\"" + now + "\",\"source\":\"mobile\",\"metadata\":{\"notes\":\"" + "y".repeat(70_000) + "\"}}", 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("hostileBodies")
    void hostile_bodies_get_a_problem_and_write_nothing(String what, String body, int status) {
        UUID mission = UUID.randomUUID();

        var result = post(manager, mission, body);

        assertThat(result.getStatus().value()).isEqualTo(status);
        assertThat(String.valueOf(result.getResponseHeaders().getContentType())).startsWith("application/problem+json");
        assertThat(events(mission)).isZero();
        assertThat(outboxRows(mission)).isZero();
    }

    @Test
    void a_worker_records_for_itself_only() {
        UUID mission = UUID.randomUUID();
        String worker = TOKENS.token(workerUser, tenant, "worker", workerId);

        var own = post(worker, mission, body(workerId, "check_in", Instant.now().minusSeconds(60)));
        var other = post(worker, mission, body(UUID.randomUUID(), "check_in", Instant.now().minusSeconds(60)));

        assertThat(own.getStatus().value()).isEqualTo(201);
        assertThat(other.getStatus().value()).isEqualTo(403);
        assertThat(events(mission)).isEqualTo(1);
    }

    @Test
    void a_manager_records_only_for_an_active_worker_of_the_tenant() {
        UUID mission = UUID.randomUUID();
        UUID deactivated = UUID.randomUUID();
        callerState(UUID.randomUUID(), tenant, "worker", false, deactivated, null);
        UUID elsewhere = UUID.randomUUID();
        callerState(UUID.randomUUID(), otherTenant, "worker", true, elsewhere, null);

        for (UUID worker : List.of(UUID.randomUUID(), deactivated, elsewhere)) {
            var refused = post(manager, mission, body(worker, "check_in", Instant.now().minusSeconds(60)));
            assertThat(refused.getStatus().value()).as(worker.toString()).isEqualTo(422);
            assertThat(refused.getResponseBody()).contains("worker_id");
        }
        assertThat(events(mission)).isZero();
        assertThat(outboxRows(mission)).isZero();
        assertThat(post(manager, mission, body(workerId, "check_in", Instant.now().minusSeconds(60))).getStatus().value())
                .isEqualTo(201);
    }

    @Test
    void the_current_state_overrides_the_token_a_deactivated_or_signed_out_caller_gets_401() {
        UUID mission = UUID.randomUUID();
        UUID demoted = UUID.randomUUID();
        callerState(demoted, tenant, "worker", true, null, null);
        String demotedToken = TOKENS.token(demoted, tenant, "manager", null);
        UUID deactivated = UUID.randomUUID();
        callerState(deactivated, tenant, "manager", false, null, null);
        UUID reset = UUID.randomUUID();
        callerState(reset, tenant, "manager", true, null, Instant.now().plusSeconds(2));

        // a manager made a worker (no worker id): refused for another worker, no 500 listing its own
        assertThat(post(demotedToken, mission, body(workerId, "check_in", Instant.now())).getStatus().value()).isEqualTo(403);
        var list = client().get().uri("/v1/missions/" + mission + "/worker-check-events")
                .header("Authorization", "Bearer " + demotedToken).exchange().expectBody(String.class).returnResult();
        assertThat(list.getStatus().value()).isEqualTo(403);
        CONTRACT.assertResponse("GET", "/v1/missions/" + mission + "/worker-check-events", 403,
                String.valueOf(list.getResponseHeaders().getContentType()), list.getResponseBody());

        for (String token : List.of(TOKENS.token(deactivated, tenant, "manager", null), TOKENS.token(reset, tenant, "manager", null))) {
            var refused = post(token, mission, body(workerId, "check_in", Instant.now()));
            assertThat(refused.getStatus().value()).isEqualTo(401);
            assertThat(refused.getResponseBody()).contains("invalid-token");
        }
        assertThat(events(mission)).isZero();
    }

    @Test
    void a_compliance_officer_cannot_record() {
        UUID mission = UUID.randomUUID();
        String officer = TOKENS.token(UUID.randomUUID(), tenant, "compliance_officer", null);

        assertThat(post(officer, mission, body(workerId, "check_in", Instant.now())).getStatus().value()).isEqualTo(403);
        assertThat(events(mission)).isZero();
    }

    @Test
    void another_tenants_event_is_not_found() {
        UUID mission = UUID.randomUUID();
        var created = post(manager, mission, body(workerId, "check_in", Instant.now().minusSeconds(60)));
        String location = created.getResponseHeaders().getLocation().getPath();
        String stranger = TOKENS.token(UUID.randomUUID(), otherTenant, "tenant_admin", null);

        client().get().uri(location).header("Authorization", "Bearer " + stranger).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client().get().uri(location).header("Authorization", "Bearer " + manager).exchange()
                .expectStatus().isOk();
    }

    @Test
    void the_timesheet_lists_a_workers_events_in_pages() {
        UUID mission = UUID.randomUUID();
        Instant start = Instant.now().minus(10, ChronoUnit.HOURS);
        for (int i = 0; i < 5; i++) {
            post(manager, mission, body(workerId, i % 2 == 0 ? "check_in" : "check_out", start.plus(i, ChronoUnit.HOURS)));
        }
        String path = "/v1/missions/" + mission + "/worker-check-events?worker_id=" + workerId + "&limit=2";

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            String uri = path + (cursor == null ? "" : "&cursor=" + cursor);
            String page = client().get().uri(uri).header("Authorization", "Bearer " + manager).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            CONTRACT.assertResponse("GET", uri, 200, "application/json", page);
            var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(page);
            json.get("items").forEach(item -> seen.add(item.get("event_type").asString()));
            cursor = json.get("next_cursor").isNull() ? null : json.get("next_cursor").asString();
        } while (cursor != null);

        assertThat(seen).containsExactly("check_in", "check_out", "check_in", "check_out", "check_in");
    }

    @Test
    void an_event_edited_in_the_database_breaks_the_chain() throws Exception {
        UUID mission = UUID.randomUUID();
        Instant start = Instant.now().minus(5, ChronoUnit.HOURS);
        for (int i = 0; i < 3; i++) {
            post(manager, mission, body(workerId, i % 2 == 0 ? "check_in" : "check_out", start.plus(i, ChronoUnit.HOURS)));
        }
        String verify = "/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + workerId;
        client().get().uri(verify).header("Authorization", "Bearer " + manager).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.checked").isEqualTo(3);

        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE checkin.worker_check_events SET occurred_at = occurred_at - interval '30 minutes' "
                    + "WHERE mission_id = '" + mission + "' AND sequence_no = 2");
        }

        client().get().uri(verify).header("Authorization", "Bearer " + manager).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.valid").isEqualTo(false)
                .jsonPath("$.first_broken_event_id").isNotEmpty();
    }

    @Test
    void a_chain_whose_metadata_jsonb_renders_differently_still_verifies_and_an_edit_is_still_found() throws Exception {
        UUID mission = UUID.randomUUID();
        Instant start = Instant.now().minus(5, ChronoUnit.HOURS);
        String[] metadata = {"{\"alt\":10000000.0,\"z\":-0.0}", "{\"big\":1e21,\"tiny\":1.0E-7}", "{\"n\":[1.50,2.0,-0.0]}"};
        for (int i = 0; i < metadata.length; i++) {
            post(manager, mission, """
                    {"worker_id":"%s","event_type":"%s","occurred_at":"%s","source":"mobile","metadata":%s}"""
                    .formatted(workerId, i % 2 == 0 ? "check_in" : "check_out", start.plus(i, ChronoUnit.HOURS), metadata[i]));
        }
        String verify = "/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + workerId;
        client().get().uri(verify).header("Authorization", "Bearer " + manager).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(true).jsonPath("$.checked").isEqualTo(3);

        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE checkin.worker_check_events SET metadata = '{\"big\":1e21,\"tiny\":2.0E-7}' "
                    + "WHERE mission_id = '" + mission + "' AND sequence_no = 2");
        }
        client().get().uri(verify).header("Authorization", "Bearer " + manager).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.valid").isEqualTo(false);
    }

    @Test
    void a_failure_after_the_row_is_written_leaves_neither_row_nor_event() throws Exception {
        UUID mission = UUID.randomUUID();
        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE checkin.outbox ADD CONSTRAINT refuse_mission CHECK (payload->>'mission_id' <> '" + mission + "') NOT VALID");
        }
        try {
            // an injected server fault, outside the contract on purpose
            var result = postUnchecked(manager, mission, body(workerId, "check_in", Instant.now().minusSeconds(60)), Map.of());
            assertThat(result.getStatus().value()).isEqualTo(500);
            assertThat(events(mission)).isZero();
            assertThat(outboxRows(mission)).isZero();
        } finally {
            try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE checkin.outbox DROP CONSTRAINT refuse_mission");
            }
        }
    }
}
