package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.devstack.ChildProcess;
import eu.erpdetachement.devstack.RunningStack;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's abuse limits (decision 0016) on the real stack: failed sign-ins per account stop at
 * the edge before Keycloak's lockout, password-reset mails per address are bounded, the limits are
 * shared by two gateway instances, and per-client-address limits hold (on the second instance, whose
 * per-address limits are low and which trusts one proxy's X-Forwarded-For: the shared gateway of the
 * test stack lifts them, as every test signs in from 127.0.0.1).
 */
@ExtendWith(EmbeddedStack.class)
class AbuseLimitsIT {

    private static final int FAILURES_PER_ACCOUNT = 3;   // the default: 3/15m
    private static final int RESETS_PER_ADDRESS = 3;     // the default: 3/1h
    private static final int SECOND_LOGIN_PER_IP = 4;
    private static final int SECOND_RESET_PER_IP = 2;

    private static final Api first = EmbeddedStack.gateway();
    private static Api second;
    private static ChildProcess secondGateway;
    private static String admin;

    @BeforeAll
    static void startASecondGateway() throws Exception {
        RunningStack stack = EmbeddedStack.stack();
        int port = freePort(); // not beside the stack's ports: another checkout's stack may use them
        secondGateway = stack.startExtraInstance("gateway", port, freePort(), "gateway-2",
                Map.of("ERP_GATEWAY_TRUSTED_PROXIES", "1",
                        "ERP_GATEWAY_LOGIN_PER_IP", SECOND_LOGIN_PER_IP + "/1h",
                        "ERP_GATEWAY_RESET_PER_IP", SECOND_RESET_PER_IP + "/1h"));
        second = new Api("http://localhost:" + port);
        admin = EmbeddedStack.ACME_ADMIN.signIn(first);
    }

    @AfterAll
    static void stopTheSecondGateway() {
        if (secondGateway != null) {
            secondGateway.close();
        }
    }

    @Test
    void a_burst_of_wrong_passwords_stops_at_the_edge_before_keycloak_locks_the_account() {
        Members.Member member = Members.invite(first, admin, "tenant_admin", Members.uniqueEmail("stuffed"));
        for (int attempt = 0; attempt < FAILURES_PER_ACCOUNT; attempt++) {
            assertThat(login(first, member.email(), "Wrong-Guess-" + attempt + "!", null).status()).isEqualTo(401);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            assertTooManyRequests(login(first, member.email(), "Wrong-Guess-x" + attempt + "!", null), 15 * 60 / FAILURES_PER_ACCOUNT);
        }
        // refused at the edge even with the right password: nothing reaches Keycloak until Retry-After
        assertTooManyRequests(login(first, member.email(), member.password(), null), 15 * 60 / FAILURES_PER_ACCOUNT);
        // Keycloak saw only the failures that passed the edge: below its lockout threshold (failureFactor 5)
        assertThat(keycloakFailures(member.email())).isBetween(1, FAILURES_PER_ACCOUNT);
    }

    @Test
    void successful_sign_ins_do_not_count_against_an_account() {
        Members.Member member = Members.invite(first, admin, "worker", Members.uniqueEmail("often"));
        for (int attempt = 0; attempt < FAILURES_PER_ACCOUNT + 2; attempt++) {
            assertThat(login(first, member.email(), member.password(), null).status()).isEqualTo(200);
        }
    }

    @Test
    void password_reset_mails_to_one_address_are_bounded() {
        Members.Member member = Members.invite(first, admin, "worker", Members.uniqueEmail("reset-flood"));
        for (int request = 0; request < RESETS_PER_ADDRESS; request++) {
            assertThat(resetRequest(first, member.email(), null).status()).isEqualTo(202);
        }
        for (int request = 0; request < 5; request++) {
            assertTooManyRequests(resetRequest(first, member.email().toUpperCase(), null), 3600 / RESETS_PER_ADDRESS);
        }
        // the invitation and the accepted requests' mails; the refused ones never reached the identity service
        assertThat(Mailbox.await(member.email(), 1 + RESETS_PER_ADDRESS, Duration.ofSeconds(30))).hasSize(1 + RESETS_PER_ADDRESS);
    }

    @Test
    void two_gateway_instances_share_one_limit() {
        Members.Member member = Members.invite(first, admin, "worker", Members.uniqueEmail("two-gateways"));
        // failures alternate between the instances; neither alone has seen three
        assertThat(login(first, member.email(), "Wrong-Guess-1!", null).status()).isEqualTo(401);
        assertThat(login(second, member.email(), "Wrong-Guess-2!", someClientAddress()).status()).isEqualTo(401);
        assertThat(login(first, member.email(), "Wrong-Guess-3!", null).status()).isEqualTo(401);
        assertTooManyRequests(login(second, member.email(), member.password(), someClientAddress()), 15 * 60 / FAILURES_PER_ACCOUNT);

        String email = Members.uniqueEmail("two-gateways-reset");
        assertThat(resetRequest(first, email, null).status()).isEqualTo(202);
        assertThat(resetRequest(second, email, someClientAddress()).status()).isEqualTo(202);
        assertThat(resetRequest(first, email, null).status()).isEqualTo(202);
        assertTooManyRequests(resetRequest(second, email, someClientAddress()), 3600 / RESETS_PER_ADDRESS);
    }

    @Test
    void sign_ins_from_one_client_address_are_limited() {
        String client = someClientAddress();
        for (int attempt = 0; attempt < SECOND_LOGIN_PER_IP; attempt++) {
            // unknown accounts: each attempt fails at Keycloak, and each counts for the address
            assertThat(login(second, Members.uniqueEmail("stuffing"), "Wrong-Guess-1!", client).status()).isEqualTo(401);
        }
        assertTooManyRequests(login(second, Members.uniqueEmail("stuffing"), "Wrong-Guess-1!", client), 3600 / SECOND_LOGIN_PER_IP);
        // another address behind the same proxy is not held back
        assertThat(login(second, Members.uniqueEmail("stuffing"), "Wrong-Guess-1!", someClientAddress()).status()).isEqualTo(401);
    }

    @Test
    void password_reset_requests_from_one_client_address_are_limited() {
        String client = someClientAddress();
        for (int request = 0; request < SECOND_RESET_PER_IP; request++) {
            assertThat(resetRequest(second, Members.uniqueEmail("reset-ip"), client).status()).isEqualTo(202);
        }
        assertTooManyRequests(resetRequest(second, Members.uniqueEmail("reset-ip"), client), 3600 / SECOND_RESET_PER_IP);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** A documentation address (RFC 3849) that no other test speaks for. */
    private static String someClientAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "2001:db8::" + Integer.toHexString(random.nextInt(1, 0xffff)) + ":" + Integer.toHexString(random.nextInt(1, 0xffff));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> forwardedFor(String client) {
        return client == null ? Map.of() : Map.of("X-Forwarded-For", client);
    }

    private static Api.Reply login(Api api, String email, String password, String client) {
        return api.post("/v1/auth/login", null, "application/json",
                Api.JSON.writeValueAsString(Map.of("email", email, "password", password)), forwardedFor(client));
    }

    private static Api.Reply resetRequest(Api api, String email, String client) {
        return api.post("/v1/auth/password-reset/request", null, "application/json",
                Api.JSON.writeValueAsString(Map.of("email", email)), forwardedFor(client));
    }

    private static void assertTooManyRequests(Api.Reply reply, long atMostSeconds) {
        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asString()).isEqualTo("https://erp-detachement.eu/problems/too-many-requests");
        assertThat(Long.parseLong(reply.header("Retry-After"))).isBetween(1L, atMostSeconds);
    }

    /** Keycloak's brute-force count for a user (its admin API, as the realm's administrator). */
    private static int keycloakFailures(String email) {
        RunningStack stack = EmbeddedStack.stack();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String form = "grant_type=password&client_id=admin-cli&username=" + enc(stack.config().keycloakAdmin())
                    + "&password=" + enc(stack.config().keycloakAdminPassword());
            JsonNode token = Api.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.keycloakUrl()
                    + "/realms/master/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body());
            String bearer = "Bearer " + token.get("access_token").asString();
            JsonNode users = Api.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.keycloakUrl()
                    + "/admin/realms/erp/users?exact=true&email=" + enc(email))).header("Authorization", bearer).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode status = Api.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(stack.keycloakUrl()
                    + "/admin/realms/erp/attack-detection/brute-force/users/" + users.get(0).get("id").asString()))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()).body());
            return status.get("numFailures").asInt();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read Keycloak's brute-force status", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
