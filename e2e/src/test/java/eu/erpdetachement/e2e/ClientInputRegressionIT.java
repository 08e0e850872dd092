package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per client input that issue 11 reproduced as a 500 or found too lax, through the gateway on
 * the real stack: each answer is a 4xx problem and nothing is written.
 */
@ExtendWith(EmbeddedStack.class)
class ClientInputRegressionIT {

    private static final Api api = EmbeddedStack.gateway();
    private static String admin;

    @BeforeAll
    static void signIn() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
    }

    // --- reproduced 500s ----------------------------------------------------------------------------

    @Test
    void a_nul_email_prefix_is_a_400_problem() {
        Api.Reply reply = api.get("/v1/users?email_prefix=%00", admin);

        assertProblem(reply, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AA", "AAAA", "_w", "YQ==", "!!!!"})
    void a_cursor_this_api_never_returned_is_a_422_on_the_cursor(String cursor) {
        Api.Reply users = api.get("/v1/users?cursor=" + cursor, admin);
        Api.Reply files = api.get("/v1/files?entity_type=worker&entity_id=" + UUID.randomUUID() + "&cursor=" + cursor, admin);
        Api.Reply events = api.get("/v1/missions/" + UUID.randomUUID() + "/worker-check-events?cursor=" + cursor, admin);

        for (Api.Reply reply : List.of(users, files, events)) {
            assertProblem(reply, 422);
            assertThat(fieldsOf(reply)).containsExactly("cursor");
        }
    }

    @Test
    void check_event_metadata_holding_nul_is_a_422_and_records_nothing() {
        UUID mission = UUID.randomUUID();
        String body = "{\"worker_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"check_in\",\"occurred_at\":\""
                + Instant.now().minusSeconds(60) + "\",\"source\":\"api\",\"metadata\":{\"device_id\":\"\\u0000\"}}";

        Api.Reply reply = api.post("/v1/missions/" + mission + "/worker-check-events", admin, "application/json", body, Map.of());

        assertProblem(reply, 422);
        assertThat(api.get("/v1/missions/" + mission + "/worker-check-events", admin).json().get("items")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/files/:complete", "/v1/files/:link"})
    void an_empty_file_id_is_a_400_problem(String path) {
        Api.Reply reply = api.raw(api.request(path, admin, Map.of("Content-Type", "application/json"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"entity_type\":\"worker\",\"entity_id\":\"" + UUID.randomUUID() + "\",\"purpose\":\"other\"}")));

        assertProblem(reply, 400);
    }

    // --- too lax ------------------------------------------------------------------------------------

    @Test
    void a_float_for_an_integer_is_a_422_and_registers_nothing() {
        String path = "regression/" + UUID.randomUUID() + "/a.pdf";
        String body = Api.JSON.writeValueAsString(FilesIT.registration(path, "a.pdf", "application/pdf", 2, "a".repeat(64)))
                .replace("\"size_bytes\":2", "\"size_bytes\":1.9");

        Api.Reply reply = api.post("/v1/files", admin, "application/json", body, Map.of());

        assertProblem(reply, 422);
        assertThat(fieldsOf(reply)).containsExactly("size_bytes");
        // nothing holds the object key: the same registration with an integer size is accepted
        assertThat(api.postJson("/v1/files", admin, FilesIT.registration(path, "a.pdf", "application/pdf", 2, "a".repeat(64)))
                .status()).isEqualTo(201);
    }

    @Test
    void a_filename_over_the_contracts_1024_characters_is_a_422_and_one_of_1024_is_stored_whole() {
        String longest = "n".repeat(1020) + ".pdf";

        Api.Reply tooLong = api.postJson("/v1/files", admin, FilesIT.registration("regression/" + UUID.randomUUID() + "/a.pdf",
                "n" + longest, "application/pdf", 2, "a".repeat(64)));
        Api.Reply fits = api.postJson("/v1/files", admin, FilesIT.registration("regression/" + UUID.randomUUID() + "/a.pdf",
                longest, "application/pdf", 2, "a".repeat(64)));

        assertProblem(tooLong, 422);
        assertThat(fieldsOf(tooLong)).containsExactly("filename");
        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
        Api.Reply stored = api.get("/v1/files/" + fits.json().get("file_id").asString(), admin);
        assertThat(stored.json().get("filename").asString()).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "ａdmin@acme.test", "admin＠acme.test", "a..b@acme.test", "admin@acme.test\u0000"})
    void an_address_that_is_not_an_email_is_a_422_everywhere_an_email_is_taken(String email) {
        Api.Reply created = Members.create(api, admin, email, "worker", true, "en");
        String memberEmail = Members.uniqueEmail("email-rule");
        Api.Reply member = Members.create(api, admin, memberEmail, "worker", true, "en");
        assertThat(member.status()).as(member.body()).isEqualTo(201);
        Api.Reply updated = api.patchJson("/v1/users/" + member.json().get("user_id").asString(), admin, Map.of("email", email), Map.of());
        Api.Reply login = api.postJson("/v1/auth/login", null, Map.of("email", email, "password", "Whatever-2026!"));
        Api.Reply reset = api.postJson("/v1/auth/password-reset/request", null, Map.of("email", email));

        for (Api.Reply reply : List.of(created, updated, login, reset)) {
            assertProblem(reply, 422);
            assertThat(fieldsOf(reply)).containsExactly("email");
        }
        assertThat(api.get("/v1/users?email_prefix=" + memberEmail, admin).json().get("items").get(0).get("email").asString())
                .isEqualTo(memberEmail);
    }

    @Test
    void an_internationalised_domain_is_accepted_and_stored_in_ascii() {
        String local = "idn-" + UUID.randomUUID().toString().substring(0, 8);

        Api.Reply created = Members.create(api, admin, local + "@bücher.test", "worker", true, "en");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Api.Reply listed = api.get("/v1/users?email_prefix=" + local, admin);
        assertThat(listed.json().get("items").get(0).get("email").asString()).isEqualTo(local + "@xn--bcher-kva.test");
    }

    @Test
    void duplicate_json_keys_are_a_400_problem_and_create_nobody() {
        String first = Members.uniqueEmail("dup-first");
        String second = Members.uniqueEmail("dup-second");
        String body = "{\"email\":\"" + first + "\",\"role_type\":\"worker\",\"is_active\":true,\"email\":\"" + second + "\"}";

        Api.Reply reply = api.post("/v1/users", admin, "application/json", body, Map.of());

        assertProblem(reply, 400);
        assertThat(api.get("/v1/users?email_prefix=" + first, admin).json().get("items")).isEmpty();
        assertThat(api.get("/v1/users?email_prefix=" + second, admin).json().get("items")).isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static void assertProblem(Api.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
    }

    private static List<String> fieldsOf(Api.Reply problem) {
        List<String> fields = new ArrayList<>();
        problem.json().path("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }
}
