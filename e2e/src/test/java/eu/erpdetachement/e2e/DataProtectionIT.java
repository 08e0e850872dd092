package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The data-protection rights through the gateway (docs/data-protection.md): the personal-data
 * export and the erasure, their RBAC cells read from contracts/rbac.yaml, another tenant's ids
 * (404), bad input (problems), and what an erasure leaves: a user who cannot sign in, whose email
 * is in no table of the cluster, and whose check-event chain still verifies. Every answer is held
 * to contracts/openapi.yaml by {@link Api}.
 */
@ExtendWith(EmbeddedStack.class)
class DataProtectionIT {

    private static final List<String> ROUTES = List.of("getUserPersonalData", "eraseUser");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Api api = EmbeddedStack.gateway();
    private static final Map<String, Members.Member> members = new LinkedHashMap<>();
    private static final Map<String, String> tokens = new LinkedHashMap<>();
    private static String admin;

    @BeforeAll
    static void team() {
        Members.Team team = Members.team(api, "dp");
        members.putAll(team.members());
        tokens.putAll(team.tokens());
        admin = tokens.get("tenant_admin");
    }

    @TestFactory
    List<DynamicTest> every_cell_of_the_matrix_for_the_data_protection_routes() throws Exception {
        List<DynamicTest> cells = new ArrayList<>();
        for (JsonNode route : matrix().get("routes")) {
            String operation = route.get("operation").asString();
            if (!ROUTES.contains(operation)) {
                continue;
            }
            BiFunction<String, String, Api.Reply> call = call(operation);
            cells.add(DynamicTest.dynamicTest(operation + " anonymous → 401", () ->
                    assertThat(call.apply(null, newWorker()).status()).isEqualTo(401)));
            for (var cell : route.get("access").properties()) {
                String role = cell.getKey();
                String access = cell.getValue().asString();
                cells.add(DynamicTest.dynamicTest(operation + " as " + role + " (" + access + ")", () -> {
                    String token = tokens.get(role);
                    // every call on "another user" gets a user of its own: an allowed erase erases it
                    Api.Reply onOther = call.apply(token, newWorker());
                    switch (access) {
                        case "allow" -> assertThat(onOther.status()).as(onOther.body()).isEqualTo(200);
                        case "deny" -> assertThat(onOther.status()).as("denied").isEqualTo(403);
                        case "self" -> {
                            assertThat(onOther.status()).as("someone else").isEqualTo(403);
                            Api.Reply self = call.apply(token, members.get(role).userId());
                            assertThat(self.status()).as(self.body()).isEqualTo(200);
                            assertThat(self.json().get("profile").get("email").asString()).isEqualTo(members.get(role).email());
                        }
                        default -> throw new AssertionError("No data-protection route has access " + access);
                    }
                }));
            }
            cells.add(DynamicTest.dynamicTest(operation + " on another tenant's user → 404", () -> {
                String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
                assertThat(call.apply(globex, members.get("worker").userId()).status()).isEqualTo(404);
            }));
            cells.add(DynamicTest.dynamicTest(operation + " on an unknown user → 404", () ->
                    assertThat(call.apply(admin, UUID.randomUUID().toString()).status()).isEqualTo(404)));
            cells.add(DynamicTest.dynamicTest(operation + " with a user id that is no UUID → 400", () -> {
                Api.Reply bad = call.apply(admin, "not-a-uuid");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.contentType()).startsWith("application/problem+json");
            }));
        }
        assertThat(cells).hasSize(ROUTES.size() * 8);
        return cells;
    }

    @Test
    void nobody_erases_themselves_and_an_erased_user_changes_no_more() {
        Api.Reply self = erase(admin, members.get("tenant_admin").userId());
        assertThat(self.status()).isEqualTo(409);
        assertThat(self.json().get("detail").asString()).contains("themselves");

        String worker = newWorker();
        assertThat(erase(admin, worker).status()).isEqualTo(200);
        for (Api.Reply change : List.of(
                api.patchJson("/v1/users/" + worker + "/role", admin, Map.of("role_type", "manager"), Map.of()),
                api.patchJson("/v1/users/" + worker + "/status", admin, Map.of("is_active", true), Map.of()),
                api.patchJson("/v1/users/" + worker, admin, Map.of("language", "de"), Map.of()))) {
            assertThat(change.status()).as(change.body()).isEqualTo(409);
        }
    }

    /**
     * A worker with check events, a file they uploaded and two files linked to them: the export
     * holds all of it; the erasure leaves a pseudonymised A1 certificate and chain, nothing else.
     */
    @Test
    void an_erased_worker_cannot_sign_in_their_email_is_in_no_table_and_their_chain_still_verifies() throws Exception {
        String email = Members.uniqueEmail("dp-erased");
        Members.Member worker = Members.invite(api, admin, "worker", email);
        String workerToken = worker.signIn(api);
        String mission = UUID.randomUUID().toString();
        checkEvent(mission, worker.userId(), "check_in", Instant.now().minusSeconds(3600));
        checkEvent(mission, worker.userId(), "check_out", Instant.now().minusSeconds(60));
        byte[] a1Bytes = FilesIT.Content.bytes(2048, 3);
        String a1 = upload(admin, "workers/" + email + "/a1.pdf", email + " A1.pdf", a1Bytes);
        link(admin, a1, worker.userId(), "a1_certificate");
        String idDocument = upload(admin, "workers/" + email + "/id.pdf", "id " + email + ".pdf", FilesIT.Content.bytes(1024, 4));
        link(admin, idDocument, worker.userId(), "id_document");
        String own = upload(workerToken, "expenses/" + email + ".pdf", "expenses.pdf", FilesIT.Content.bytes(512, 5));

        Api.Reply export = api.get("/v1/users/" + worker.userId() + "/personal-data", workerToken);
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        JsonNode document = export.json();
        assertThat(document.get("profile").get("email").asString()).isEqualTo(email);
        assertThat(document.get("profile").get("erased_at").isNull()).isTrue();
        assertThat(document.get("check_events")).hasSize(2);
        assertThat(document.get("check_events").get(0).get("mission_id").asString()).isEqualTo(mission);
        assertThat(ids(document.get("files"), "file_id")).containsExactlyInAnyOrder(a1, idDocument, own);
        assertThat(fileOf(document, a1).get("links").get(0).get("purpose").asString()).isEqualTo("a1_certificate");
        assertThat(fileOf(document, a1).get("filename").asString()).contains(email);

        Api.Reply erased = erase(admin, worker.userId());
        assertThat(erased.status()).as(erased.body()).isEqualTo(200);
        Api.Reply again = erase(admin, worker.userId());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("erased_at")).as("a second erasure answers the first").isEqualTo(erased.json().get("erased_at"));

        // no sign-in, and the tokens issued before no longer work, here or in the other services
        assertThat(api.postJson("/v1/auth/login", null, Map.of("email", email, "password", worker.password())).status()).isEqualTo(401);
        assertThat(api.get("/v1/me", workerToken).status()).isEqualTo(401);
        Awaitility.await("files to refuse the erased worker's token").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.get("/v1/files/" + own, workerToken).status() == 401);

        // files renamed or deleted once the files service has read UserErased
        Awaitility.await("files to erase what it holds").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.get("/v1/files/" + idDocument, admin).status() == 404);
        JsonNode after = api.get("/v1/users/" + worker.userId() + "/personal-data", admin).json();
        assertThat(after.get("profile").get("email").asString()).isEqualTo("erased-" + worker.userId() + "@erased.invalid");
        assertThat(after.get("profile").get("is_active").asBoolean()).isFalse();
        assertThat(after.get("profile").get("erased_at").asString()).isEqualTo(erased.json().get("erased_at").asString());
        assertThat(after.get("check_events")).as("time records are kept").hasSize(2);
        assertThat(ids(after.get("files"), "file_id")).containsExactlyInAnyOrder(a1, own);
        assertThat(fileOf(after, a1).get("filename").asString()).isEqualTo("erased-" + a1);
        assertThat(fileOf(after, a1).get("object_key").asString()).endsWith("/erased/" + a1);
        // the kept A1 certificate's bytes moved with it
        Api.Reply a1File = api.get("/v1/files/" + a1, admin);
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(a1File.json().get("download").get("url").asString()))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(a1Bytes);

        Api.Reply verified = api.get("/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + worker.userId(), admin);
        assertThat(verified.json().get("valid").asBoolean()).isTrue();
        assertThat(verified.json().get("checked").asInt()).isEqualTo(2);
        // and the pseudonymised time-sheet an inspector reads still verifies, chain by chain
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris"));
        Api.Reply timesheet = api.get("/v1/workers/" + worker.userId() + "/timesheet?from=" + today.minusDays(7) + "&to="
                + today.plusDays(1), admin);
        assertThat(timesheet.status()).as(timesheet.body()).isEqualTo(200);
        assertThat(timesheet.json().get("chains")).isNotEmpty()
                .allSatisfy(chain -> assertThat(chain.get("valid").asBoolean()).as(chain.toString()).isTrue());
        assertThat(timesheet.body()).doesNotContain(email);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), "erp.identity.user.v1")) {
            var published = events.await(e -> worker.userId().equals(e.key()) && "UserErased".equals(e.headers().get("ce_type")),
                    1, Duration.ofSeconds(60));
            assertThat(KafkaEvents.violations("UserErased", published.get(0).value())).isEmpty();
            assertThat(published.get(0).value()).doesNotContain(email);
        }
        // what still named them (the outbox rows of their creation, renamed files) is gone from every table
        Awaitility.await("no table to hold " + email).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(tablesHolding(email)).isEmpty());
        assertThat(tablesHolding(members.get("worker").email())).as("the search finds an email that is there").isNotEmpty();
    }

    /** An erasure and a role change of the same user, at once: one order or the other, never a mix. */
    @Test
    void an_erasure_racing_a_role_change_has_one_outcome() throws Exception {
        for (int round = 0; round < 3; round++) {
            String worker = newWorker();
            List<Api.Reply> replies = inParallel(
                    () -> erase(admin, worker),
                    () -> api.patchJson("/v1/users/" + worker + "/role", admin, Map.of("role_type", "manager"), Map.of()));
            Api.Reply erased = replies.get(0);
            Api.Reply role = replies.get(1);
            assertThat(erased.status()).as(erased.body()).isEqualTo(200);
            assertThat(role.status()).as(role.body()).isIn(200, 409);
            Map<String, String> row = row("SELECT role_type, is_active::text, email, (erased_at IS NOT NULL)::text AS erased"
                    + " FROM identity.users WHERE user_id = ?::uuid", worker);
            assertThat(row).containsEntry("is_active", "false").containsEntry("erased", "true")
                    .containsEntry("email", "erased-" + worker + "@erased.invalid")
                    .containsEntry("role_type", role.status() == 200 ? "manager" : "worker");
        }
    }

    /** Two admins erasing each other at once: one wins, and the tenant keeps an active admin. */
    @Test
    void two_admins_erasing_each_other_leave_one_active_admin() throws Exception {
        Api race = EmbeddedStack.gateway();
        String first = RaceTenant.signInAsActiveAdmin(race);
        String firstId = race.get("/v1/me", first).json().get("user_id").asString();
        Members.Member second = Members.invite(race, first, "tenant_admin", "dp-admin-" + UUID.randomUUID().toString().substring(0, 8)
                + "@initech.test");
        String secondToken = second.signIn(race);
        List<Api.Reply> replies = inParallel(() -> erase(first, second.userId()), () -> erase(secondToken, firstId));
        assertThat(replies).extracting(Api.Reply::status).as("exactly one erasure").containsOnlyOnce(200);
        assertThat(RaceTenant.activeAdmins()).as("the tenant keeps an active admin").isNotEmpty()
                .containsAnyOf(firstId, second.userId());
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static BiFunction<String, String, Api.Reply> call(String operation) {
        return switch (operation) {
            case "getUserPersonalData" -> (token, user) -> api.get("/v1/users/" + user + "/personal-data", token);
            case "eraseUser" -> DataProtectionIT::erase;
            default -> throw new AssertionError("No call for " + operation);
        };
    }

    private static Api.Reply erase(String token, String userId) {
        return api.post("/v1/users/" + userId + ":erase", token, null, "", Map.of());
    }

    private static String newWorker() {
        Api.Reply created = Members.create(api, admin, Members.uniqueEmail("dp-target"), "worker", true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("user_id").asString();
    }

    /** Recorded by the admin once the check-in service knows the new worker from identity's events. */
    private static void checkEvent(String mission, String worker, String type, Instant at) {
        Map<String, Object> body = Map.of("worker_id", worker, "event_type", type, "occurred_at", at.toString(),
                "source", "web", "metadata", Map.of("device_id", "kiosk-7"));
        Awaitility.await("check-in to know worker " + worker).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.postJson("/v1/missions/" + mission + "/worker-check-events", admin, body).status() == 201);
    }

    private static String upload(String token, String path, String filename, byte[] content) {
        Map<String, Object> metadata = FilesIT.registration(path, filename, "application/pdf", content.length,
                FilesIT.Content.sha256(content));
        Api.Reply uploaded = FilesIT.Multipart.post(api, token, metadata, () -> (InputStream) new ByteArrayInputStream(content));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        return uploaded.json().get("file_id").asString();
    }

    private static void link(String token, String file, String worker, String purpose) {
        Api.Reply linked = api.postJson("/v1/files/" + file + ":link", token,
                Map.of("entity_type", "worker", "entity_id", worker, "purpose", purpose));
        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    }

    private static List<String> ids(JsonNode items, String field) {
        return items.valueStream().map(i -> i.get(field).asString()).toList();
    }

    private static JsonNode fileOf(JsonNode document, String fileId) {
        return document.get("files").valueStream().filter(f -> f.get("file_id").asString().equals(fileId)).findFirst().orElseThrow();
    }

    /** Every table of every schema of the cluster's database whose rows, as text (every column, jsonb included), hold the value. */
    private static List<String> tablesHolding(String value) throws Exception {
        List<String> holding = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres")) {
            List<String> tables = new ArrayList<>();
            try (var q = c.createStatement(); ResultSet rs = q.executeQuery("""
                    SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
                    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).as("the schemas are searched").contains("identity.users", "files.files", "checkin.worker_check_events");
            for (String table : tables) {
                try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + table + " t WHERE strpos(lower(t::text), lower(?)) > 0")) {
                    q.setString(1, value);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            holding.add(table);
                        }
                    }
                }
            }
        }
        return holding;
    }

    private static Map<String, String> row(String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, arg);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                return row;
            }
        }
    }

    @SafeVarargs
    private static <T> List<T> inParallel(Callable<T>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode matrix() throws Exception {
        try (InputStream in = DataProtectionIT.class.getClassLoader().getResourceAsStream("contracts/rbac.yaml")) {
            return new YAMLMapper().readTree(in);
        }
    }
}
