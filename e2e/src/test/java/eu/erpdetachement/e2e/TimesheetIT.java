package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/**
 * Corrections and time-sheets through the gateway (issue 15, decision 0026): every RBAC cell of the
 * two routes as contracts/rbac.yaml says it, another tenant's ids, bad input, the correction's event
 * on Kafka, and the CSV of a worker with a corrected day. Acme's time zone is the default, Europe/Paris.
 */
@ExtendWith(EmbeddedStack.class)
class TimesheetIT {

    private static final Set<String> ROUTES = Set.of("correctWorkerCheckEvent", "getWorkerTimesheet");
    private static final String TOPIC = "erp.checkin.worker-check-event.v1";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static final Api api = EmbeddedStack.gateway();
    private static final Map<String, String> tokens = new LinkedHashMap<>();
    private static String admin;
    private static String managerUserId;
    /** The worker member's own worker id (its user id) and another worker of the tenant. */
    private static UUID ownWorker;
    private static UUID otherWorker;

    /** How to call an operation as {@code token} about {@code worker}. */
    private record Call(String operation, BiFunction<String, UUID, Api.Reply> send) {
    }

    @BeforeAll
    static void team() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        tokens.put("tenant_admin", admin);
        for (String role : List.of("manager", "compliance_officer", "worker")) {
            Members.Member member = Members.invite(api, admin, role, Members.uniqueEmail("sheet-" + role.replace('_', '-')));
            tokens.put(role, member.signIn(api));
            if (role.equals("worker")) {
                ownWorker = UUID.fromString(member.userId());
            }
            if (role.equals("manager")) {
                managerUserId = member.userId();
            }
        }
        Members.awaitKnownToCheckin(api, admin, ownWorker);
        otherWorker = Members.workerKnownToCheckin(api, admin);
    }

    private static String local(Instant instant) {
        return instant.atZone(PARIS).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static String checkEvents(UUID mission) {
        return "/v1/missions/" + mission + "/worker-check-events";
    }

    private static String record(UUID mission, UUID worker, String type, Instant at) {
        Api.Reply reply = api.postJson(checkEvents(mission), admin, Map.of("worker_id", worker.toString(), "event_type", type,
                "occurred_at", at.toString(), "source", "web", "metadata", Map.of()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("check_event_id").asString();
    }

    private static Api.Reply correct(String token, UUID mission, String eventId, String kind, Instant at, String reason) {
        return api.postJson(checkEvents(mission) + "/" + eventId + ":correct", token,
                Map.of("kind", kind, "occurred_at", at.toString(), "reason", reason));
    }

    private static String timesheet(UUID worker, int fromDays, int toDays) {
        LocalDate today = LocalDate.now(PARIS);
        return "/v1/workers/" + worker + "/timesheet?from=" + today.plusDays(fromDays) + "&to=" + today.plusDays(toDays);
    }

    @TestFactory
    List<DynamicTest> every_cell_of_the_matrix_for_corrections_and_time_sheets() {
        List<DynamicTest> cells = new ArrayList<>();
        for (JsonNode route : RbacRows.of(ROUTES)) {
            String operation = route.get("operation").asString();
            Call call = call(operation);
            cells.add(DynamicTest.dynamicTest(operation + " anonymous → 401", () ->
                    assertThat(call.send().apply(null, otherWorker).status()).isEqualTo(401)));
            for (var cell : route.get("access").properties()) {
                String role = cell.getKey();
                String access = cell.getValue().asString();
                cells.add(DynamicTest.dynamicTest(operation + " as " + role + " (" + access + ")", () -> {
                    String token = tokens.get(role);
                    Api.Reply onOther = call.send().apply(token, otherWorker);
                    switch (access) {
                        case "allow" -> assertThat(onOther.status()).as(onOther.body()).isBetween(200, 299);
                        case "deny" -> assertThat(onOther.status()).as(onOther.body()).isEqualTo(403);
                        case "own_worker_id" -> {
                            assertThat(onOther.status()).as("another worker").isEqualTo(403);
                            assertThat(call.send().apply(token, ownWorker).status()).as("its own worker id").isEqualTo(200);
                        }
                        default -> throw new AssertionError("No route here has access " + access);
                    }
                }));
            }
        }
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        for (String operation : ROUTES) {
            cells.add(DynamicTest.dynamicTest(operation + " on another tenant's ids → 404", () -> {
                Api.Reply reply = call(operation).send().apply(globex, otherWorker);
                assertThat(reply.status()).as(reply.body()).isEqualTo(404);
                assertThat(reply.contentType()).startsWith("application/problem+json");
            }));
        }
        assertThat(cells).hasSize(ROUTES.size() * 6);
        return cells;
    }

    /** Each call is harmless when allowed: a correction closes an open check-in of a mission of its own. */
    private static Call call(String operation) {
        return switch (operation) {
            case "correctWorkerCheckEvent" -> new Call(operation, (token, worker) -> {
                UUID mission = UUID.randomUUID();
                Instant in = Instant.now().minus(3, ChronoUnit.HOURS);
                String checkIn = record(mission, worker, "check_in", in);
                return correct(token, mission, checkIn, "supply_check_out", in.plus(1, ChronoUnit.HOURS), "RBAC walk");
            });
            case "getWorkerTimesheet" -> new Call(operation, (token, worker) -> api.get(timesheet(worker, -1, 0), token));
            default -> throw new AssertionError("No call for " + operation);
        };
    }

    @Test
    void bad_input_is_a_problem_never_a_500() {
        UUID mission = UUID.randomUUID();
        String checkIn = record(mission, otherWorker, "check_in", Instant.now().minus(2, ChronoUnit.HOURS));
        String manager = tokens.get("manager");
        String correctPath = checkEvents(mission) + "/" + checkIn + ":correct";
        String sheet = "/v1/workers/" + otherWorker + "/timesheet";

        List<Api.Reply> problems = List.of(
                api.postJson(correctPath, manager, Map.of("kind", "supply_check_out", "occurred_at", "yesterday", "reason", "x")),
                api.postJson(correctPath, manager, Map.of("kind", "erase", "occurred_at", Instant.now().toString(), "reason", "x")),
                api.postJson(correctPath, manager, Map.of("kind", "supply_check_out", "occurred_at", Instant.now().toString(),
                        "reason", "")),
                api.postJson(correctPath, manager, Map.of("kind", "supply_check_out",
                        "occurred_at", Instant.now().minus(3, ChronoUnit.HOURS).toString(), "reason", "before the check-in")),
                api.post(correctPath, manager, "application/json", "{\"kind\":", Map.of()),
                api.post(correctPath, manager, "text/plain", "kind=supply_check_out", Map.of()),
                api.postJson(checkEvents(mission) + "/not-a-uuid:correct", manager, Map.of()),
                api.get(sheet + "?from=2026-01-31&to=2026-01-01", manager),
                api.get(sheet + "?from=2024-01-01&to=2026-01-01", manager),
                api.get(sheet + "?from=2026-1-1&to=2026-01-02", manager),
                api.get(sheet + "?to=2026-01-02", manager),
                api.get("/v1/workers/not-a-uuid/timesheet?from=2026-01-01&to=2026-01-02", manager),
                api.get(sheet + "?from=2026-01-01&to=2026-01-02", manager, Map.of("Accept", "application/xml")));

        assertThat(problems).extracting(Api.Reply::status).containsExactly(422, 422, 422, 409, 400, 415, 400, 422, 422, 422,
                422, 400, 406);
        assertThat(problems).allSatisfy(reply -> assertThat(reply.contentType()).startsWith("application/problem+json"));
    }

    @Test
    void a_worker_with_a_corrected_day_gets_a_csv_time_sheet_with_the_correction_and_its_chain_verified() {
        UUID worker = Members.workerKnownToCheckin(api, admin);
        UUID mission = UUID.randomUUID();
        Instant morning = Instant.now().minus(50, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String checkIn = record(mission, worker, "check_in", morning);
        // the worker forgot to check out: its next check-in is refused until a manager corrects the day
        Api.Reply refused = api.postJson(checkEvents(mission), admin, Map.of("worker_id", worker.toString(),
                "event_type", "check_in", "occurred_at", Instant.now().minus(2, ChronoUnit.HOURS).toString(), "source", "web",
                "metadata", Map.of()));
        assertThat(refused.status()).isEqualTo(409);
        Api.Reply corrected = correct(tokens.get("manager"), mission, checkIn, "supply_check_out",
                morning.plus(8, ChronoUnit.HOURS), "Forgot to check out, per the site log");
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(201);
        Instant today = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        record(mission, worker, "check_in", today);
        record(mission, worker, "check_out", today.plus(90, ChronoUnit.MINUTES));

        Api.Reply csv = api.get(timesheet(worker, -4, 0), tokens.get("compliance_officer"), Map.of("Accept", "text/csv"));

        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = Arrays.asList(csv.body().split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("date,mission_id,first_check_in,last_check_out,worked_duration,open,corrections,"
                + "correction_reasons,corrected_by,chain_valid,chain_checked,chain_first_broken_event_id");
        List<String> rows = lines.stream().filter(line -> line.contains("," + mission + ",")).toList();
        String correctedDay = morning.atZone(PARIS).toLocalDate().toString();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith(correctedDay + "," + mission + "," + local(morning) + ","
                        + local(morning.plus(8, ChronoUnit.HOURS)) + ",8:00:00,false,supply_check_out ")
                .endsWith(",\"Forgot to check out, per the site log\"," + managerUserId + ",true,4,");
        assertThat(rows.get(1)).startsWith(today.atZone(PARIS).toLocalDate() + "," + mission + ",")
                .endsWith(",1:30:00,false,,,,true,4,");
        Api.Reply verified = api.get(checkEvents(mission) + ":verify?worker_id=" + worker, admin);
        assertThat(verified.json().get("valid").asBoolean()).isTrue();
        assertThat(verified.json().get("checked").asInt()).isEqualTo(4);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            KafkaEvents.Event event = events.await(e -> (mission + ":" + worker).equals(e.key())
                    && "WorkerCheckEventCorrected".equals(e.headers().get("ce_type")), 1, Duration.ofSeconds(60)).get(0);
            assertThat(KafkaEvents.violations("WorkerCheckEventCorrected", event.value())).isEmpty();
            assertThat(event.json().get("check_event_id").asString()).isEqualTo(checkIn);
            assertThat(event.json().get("corrected_by").asString()).isEqualTo(managerUserId);
        }
    }
}
