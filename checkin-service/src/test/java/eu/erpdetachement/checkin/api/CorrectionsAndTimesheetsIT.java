package eu.erpdetachement.checkin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Corrections and time-sheets on a real PostgreSQL with real signed tokens (decision 0026). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CorrectionsAndTimesheetsIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UUID tenant = UUID.randomUUID();
    private final UUID workerUser = UUID.randomUUID();
    private final UUID workerId = UUID.randomUUID();
    private final UUID managerId = UUID.randomUUID();
    private final String manager = TOKENS.token(managerId, tenant, "manager", null);
    private final UUID mission = UUID.randomUUID();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false");
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    @BeforeEach
    void knownWorker() {
        TestPostgres.execute("""
                INSERT INTO checkin.caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of)
                VALUES (?, ?, 'worker', true, ?, now())""", workerUser, tenant, workerId);
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    /** Sends and holds the answer to the contract. */
    private EntityExchangeResult<String> send(String method, String path, String token, String body, Map<String, String> headers) {
        var request = client().method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Bearer " + token).headers(h -> headers.forEach(h::add));
        var result = (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
                .exchange().expectBody(String.class).returnResult();
        CONTRACT.assertResponse(method, path, result.getStatus().value(),
                String.valueOf(result.getResponseHeaders().getContentType()), result.getResponseBody());
        return result;
    }

    private String record(String type, Instant at) {
        var result = send("POST", "/v1/missions/" + mission + "/worker-check-events", manager, """
                {"worker_id":"%s","event_type":"%s","occurred_at":"%s","source":"web","metadata":{}}"""
                .formatted(workerId, type, at), Map.of());
        assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(201);
        return JSON.readTree(result.getResponseBody()).get("check_event_id").asString();
    }

    private EntityExchangeResult<String> recordUnchecked(String type, Instant at) {
        return send("POST", "/v1/missions/" + mission + "/worker-check-events", manager, """
                {"worker_id":"%s","event_type":"%s","occurred_at":"%s","source":"web","metadata":{}}"""
                .formatted(workerId, type, at), Map.of());
    }

    private static String correction(String kind, Instant at, String reason) {
        return JSON.writeValueAsString(Map.of("kind", kind, "occurred_at", at.toString(), "reason", reason));
    }

    private EntityExchangeResult<String> correct(String token, String eventId, String body, Map<String, String> headers) {
        return send("POST", "/v1/missions/" + mission + "/worker-check-events/" + eventId + ":correct", token, body, headers);
    }

    private EntityExchangeResult<String> correct(String eventId, String body) {
        return correct(manager, eventId, body, Map.of());
    }

    private JsonNode verify() {
        var result = send("GET", "/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + workerId, manager, null,
                Map.of());
        return JSON.readTree(result.getResponseBody());
    }

    private long corrections() {
        return TestPostgres.count("SELECT count(*) FROM checkin.check_event_corrections WHERE mission_id = ?", mission);
    }

    private long correctedEvents() {
        return TestPostgres.count("SELECT count(*) FROM checkin.outbox WHERE type = 'WorkerCheckEventCorrected' AND aggregateid = ?"
                + " AND aggregatetype = 'checkin.worker-check-event'", mission + ":" + workerId);
    }

    private EntityExchangeResult<String> timesheet(String token, UUID worker, String from, String to, String accept) {
        String path = "/v1/workers/" + worker + "/timesheet?from=" + from + "&to=" + to;
        return send("GET", path, token, null, accept == null ? Map.of() : Map.of("Accept", accept));
    }

    private static String today(int plusDays) {
        return LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(plusDays).toString();
    }

    @Test
    void a_forgotten_check_out_is_supplied_and_the_worker_checks_in_again_on_a_chain_that_still_verifies() {
        Instant morning = Instant.now().minus(30, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String checkIn = record("check_in", morning);
        var refused = recordUnchecked("check_in", Instant.now().minusSeconds(60));
        assertThat(refused.getStatus().value()).isEqualTo(409);
        assertThat(refused.getResponseBody()).contains("\"current_state\":\"checked_in\"");

        var corrected = correct(checkIn, correction("supply_check_out", morning.plus(8, ChronoUnit.HOURS), "Forgot to check out."));

        assertThat(corrected.getStatus().value()).as(corrected.getResponseBody()).isEqualTo(201);
        JsonNode body = JSON.readTree(corrected.getResponseBody());
        assertThat(body.get("check_event_id").asString()).isEqualTo(checkIn);
        assertThat(body.get("corrected_by").asString()).isEqualTo(managerId.toString());
        assertThat(body.get("replaced_occurred_at").isNull()).isTrue();
        assertThat(recordUnchecked("check_in", Instant.now().minusSeconds(60)).getStatus().value()).isEqualTo(201);
        JsonNode verification = verify();
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("checked").asInt()).isEqualTo(3);
        // appended, never an update: the stored check-in keeps its time
        assertThat(TestPostgres.count("SELECT count(*) FROM checkin.worker_check_events WHERE check_event_id = ?::uuid AND occurred_at = ?",
                checkIn, java.sql.Timestamp.from(morning))).isEqualTo(1);
        assertThat(correctedEvents()).isEqualTo(1);
    }

    @Test
    void an_amended_time_shows_in_the_time_sheet_with_who_why_and_the_time_it_replaced() {
        Instant in = Instant.now().minus(26, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String checkIn = record("check_in", in);
        record("check_out", in.plus(4, ChronoUnit.HOURS));

        var amended = correct(checkIn, correction("amend_occurred_at", in.minus(30, ChronoUnit.MINUTES), "Badge reader down."));

        assertThat(amended.getStatus().value()).as(amended.getResponseBody()).isEqualTo(201);
        assertThat(Instant.parse(JSON.readTree(amended.getResponseBody()).get("replaced_occurred_at").asString())).isEqualTo(in);
        var sheet = timesheet(manager, workerId, today(-3), today(0), null);
        assertThat(sheet.getStatus().value()).as(sheet.getResponseBody()).isEqualTo(200);
        JsonNode json = JSON.readTree(sheet.getResponseBody());
        assertThat(json.get("time_zone").asString()).isEqualTo("Europe/Paris");
        JsonNode day = json.get("days").get(0);
        assertThat(day.get("worked_seconds").asLong()).isEqualTo(4 * 3600 + 1800);
        assertThat(day.get("open").asBoolean()).isFalse();
        JsonNode shown = day.get("corrections").get(0);
        assertThat(shown.get("reason").asString()).isEqualTo("Badge reader down.");
        assertThat(shown.get("corrected_by").asString()).isEqualTo(managerId.toString());
        assertThat(shown.get("kind").asString()).isEqualTo("amend_occurred_at");
        assertThat(Instant.parse(shown.get("replaced_occurred_at").asString())).isEqualTo(in);
        assertThat(json.get("chains").get(0).get("valid").asBoolean()).isTrue();
        assertThat(json.get("chains").get(0).get("checked").asInt()).isEqualTo(3);
    }

    @Test
    void a_correction_that_breaks_the_alternation_is_a_409_with_the_state_and_writes_nothing() {
        Instant in = Instant.now().minus(5, ChronoUnit.HOURS);
        String checkIn = record("check_in", in);
        record("check_out", in.plus(2, ChronoUnit.HOURS));

        var refused = correct(checkIn, correction("supply_check_out", in.plus(1, ChronoUnit.HOURS), "x"));

        assertThat(refused.getStatus().value()).isEqualTo(409);
        assertThat(refused.getResponseBody()).contains("\"current_state\":\"checked_out\"");
        assertThat(corrections()).isZero();
        assertThat(correctedEvents()).isZero();
    }

    static Stream<Arguments> hostileCorrections() {
        return Stream.of(
                Arguments.of("unknown kind", "{\"kind\":\"delete\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\",\"reason\":\"x\"}", 422),
                Arguments.of("blank reason", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\",\"reason\":\"  \"}", 422),
                Arguments.of("long reason", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\",\"reason\":\""
                        + "x".repeat(501) + "\"}", 422),
                Arguments.of("NUL in reason", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\",\"reason\":\"a\\u0000b\"}", 422),
                Arguments.of("no offset", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00\",\"reason\":\"x\"}", 422),
                Arguments.of("no reason", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\"}", 422),
                Arguments.of("unknown field", "{\"kind\":\"supply_check_out\",\"occurred_at\":\"2026-11-24T08:00:00+01:00\",\"reason\":\"x\",\"worker_id\":\"x\"}", 422),
                Arguments.of("malformed", "{\"kind\":", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCorrections")
    void hostile_corrections_get_a_problem_and_write_nothing(String what, String body, int status) {
        String checkIn = record("check_in", Instant.now().minus(2, ChronoUnit.HOURS));

        var result = correct(checkIn, body);

        assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(status);
        assertThat(String.valueOf(result.getResponseHeaders().getContentType())).startsWith("application/problem+json");
        assertThat(corrections()).isZero();
    }

    @Test
    void only_managers_and_admins_correct_and_another_tenants_event_is_not_found() {
        String checkIn = record("check_in", Instant.now().minus(2, ChronoUnit.HOURS));
        String body = correction("supply_check_out", Instant.now().minus(1, ChronoUnit.HOURS), "x");

        assertThat(correct(TOKENS.token(workerUser, tenant, "worker", workerId), checkIn, body, Map.of()).getStatus().value())
                .isEqualTo(403);
        assertThat(correct(TOKENS.token(UUID.randomUUID(), tenant, "compliance_officer", null), checkIn, body, Map.of())
                .getStatus().value()).isEqualTo(403);
        assertThat(correct(TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null), checkIn, body, Map.of())
                .getStatus().value()).isEqualTo(404);
        assertThat(correct(UUID.randomUUID().toString(), body).getStatus().value()).isEqualTo(404);
        assertThat(corrections()).isZero();
        assertThat(correct(TOKENS.token(UUID.randomUUID(), tenant, "tenant_admin", null), checkIn, body, Map.of())
                .getStatus().value()).isEqualTo(201);
    }

    @Test
    void a_retry_with_the_same_key_replays_and_the_same_key_with_another_body_is_422() {
        Instant in = Instant.now().minus(3, ChronoUnit.HOURS);
        String checkIn = record("check_in", in);
        String key = "fix-" + UUID.randomUUID();

        var first = correct(manager, checkIn, correction("supply_check_out", in.plusSeconds(3600), "x"), Map.of("Idempotency-Key", key));
        var retry = correct(manager, checkIn, correction("supply_check_out", in.plusSeconds(3600), "x"), Map.of("Idempotency-Key", key));
        var other = correct(manager, checkIn, correction("supply_check_out", in.plusSeconds(7200), "x"), Map.of("Idempotency-Key", key));

        assertThat(first.getStatus().value()).isEqualTo(201);
        assertThat(retry.getStatus().value()).isEqualTo(201);
        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(retry.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.getStatus().value()).isEqualTo(422);
        assertThat(corrections()).isEqualTo(1);
    }

    @Test
    void racing_corrections_and_check_outs_on_one_open_check_in_give_exactly_one_201_and_a_chain_that_verifies() throws Exception {
        Instant in = Instant.now().minus(4, ChronoUnit.HOURS);
        String checkIn = record("check_in", in);

        List<Integer> statuses = Parallel.run(20, i -> i % 2 == 0
                ? correct(checkIn, correction("supply_check_out", in.plusSeconds(600L + i), "race " + i)).getStatus().value()
                : recordUnchecked("check_out", Instant.now().minusSeconds(i)).getStatus().value());

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        JsonNode verification = verify();
        assertThat(verification.get("valid").asBoolean()).isTrue();
        assertThat(verification.get("checked").asInt()).isEqualTo(2);
    }

    @Test
    void a_correction_edited_in_the_database_breaks_the_chain_at_it() throws Exception {
        Instant in = Instant.now().minus(4, ChronoUnit.HOURS);
        String checkIn = record("check_in", in);
        var corrected = correct(checkIn, correction("supply_check_out", in.plusSeconds(3600), "Forgot."));
        String correctionId = JSON.readTree(corrected.getResponseBody()).get("correction_id").asString();
        assertThat(verify().get("valid").asBoolean()).isTrue();

        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE checkin.check_event_corrections SET reason = 'Forgot (edited).' WHERE correction_id = '"
                    + correctionId + "'");
        }

        JsonNode verification = verify();
        assertThat(verification.get("valid").asBoolean()).isFalse();
        assertThat(verification.get("first_broken_event_id").asString()).isEqualTo(correctionId);
    }

    @Test
    void the_time_sheet_as_csv_quotes_fields_and_defuses_formulas() {
        Instant in = Instant.now().minus(28, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String checkIn = record("check_in", in);
        correct(checkIn, correction("supply_check_out", in.plus(8, ChronoUnit.HOURS), "=HYPERLINK(\"http://x\"), forgot"));

        var csv = timesheet(manager, workerId, today(-3), today(0), "text/csv");

        assertThat(csv.getStatus().value()).as(csv.getResponseBody()).isEqualTo(200);
        assertThat(String.valueOf(csv.getResponseHeaders().getContentType())).startsWith("text/csv");
        String[] lines = csv.getResponseBody().split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", TimesheetCsv.HEADER));
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(in.atZone(ZoneId.of("Europe/Paris")).toLocalDate() + "," + mission + ",")
                .contains(",8:00:00,false,supply_check_out ")
                .contains(",\"'=HYPERLINK(\"\"http://x\"\"), forgot\"," + managerId + ",true,2,");
    }

    @Test
    void the_time_sheet_uses_the_tenants_time_zone() {
        TestPostgres.execute("INSERT INTO checkin.tenant_settings_view (tenant_id, settings, version) VALUES (?, ?::jsonb, 1)", tenant,
                "{\"timezone\":\"Asia/Tokyo\"}");
        Instant in = Instant.now().minus(30, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        record("check_in", in);
        record("check_out", in.plusSeconds(3600));
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        String day = in.atZone(tokyo).toLocalDate().toString();

        JsonNode json = JSON.readTree(timesheet(manager, workerId, day, day, null).getResponseBody());

        assertThat(json.get("time_zone").asString()).isEqualTo("Asia/Tokyo");
        assertThat(json.get("days").get(0).get("first_check_in").asString()).endsWith("+09:00");
        assertThat(json.get("days").get(0).get("date").asString()).isEqualTo(day);
    }

    @Test
    void who_may_read_a_time_sheet_and_what_bad_requests_get() {
        record("check_in", Instant.now().minus(2, ChronoUnit.HOURS));
        String worker = TOKENS.token(workerUser, tenant, "worker", workerId);

        assertThat(timesheet(worker, workerId, today(-1), today(0), null).getStatus().value()).isEqualTo(200);
        assertThat(timesheet(worker, UUID.randomUUID(), today(-1), today(0), null).getStatus().value()).isEqualTo(403);
        assertThat(timesheet(TOKENS.token(UUID.randomUUID(), tenant, "compliance_officer", null), workerId, today(-1), today(0),
                null).getStatus().value()).isEqualTo(200);
        assertThat(timesheet(TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null), workerId, today(-1),
                today(0), null).getStatus().value()).isEqualTo(404);
        assertThat(timesheet(manager, UUID.randomUUID(), today(-1), today(0), null).getStatus().value()).isEqualTo(404);
        assertThat(timesheet(manager, workerId, today(-1), today(0), "application/xml").getStatus().value()).isEqualTo(406);
        assertThat(timesheet(manager, workerId, today(-1), today(0), "text/csv;q=0.5, application/json").getResponseHeaders()
                .getContentType().toString()).startsWith("application/json");
        assertThat(timesheet(manager, workerId, "2025-01-01", "2026-01-02", null).getStatus().value()).isEqualTo(422);
        assertThat(timesheet(manager, workerId, "2025-01-01", "2025-12-31", null).getStatus().value()).isEqualTo(200);
        assertThat(timesheet(manager, workerId, today(0), today(-1), null).getStatus().value()).isEqualTo(422);
        assertThat(timesheet(manager, workerId, "2026-02-30", today(0), null).getStatus().value()).isEqualTo(422);
        assertThat(send("GET", "/v1/workers/" + workerId + "/timesheet?from=" + today(0), manager, null, Map.of())
                .getStatus().value()).isEqualTo(422);
        assertThat(send("GET", "/v1/workers/not-a-uuid/timesheet?from=" + today(0) + "&to=" + today(0), manager, null, Map.of())
                .getStatus().value()).isEqualTo(400);
    }
}
