package eu.erpdetachement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway's own behaviour at the edge, with every upstream down: it still authenticates, still
 * answers problem+json, turns a dead upstream into a 503 rather than a 500, shows nothing internal on
 * its public port, answers CORS preflights, and applies its per-address abuse limits (real PostgreSQL).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEdgeIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final String DEAD_UPSTREAM = "http://127.0.0.1:" + freePort();
    private static final int MANAGEMENT_PORT = freePort();
    private static final String ALLOWED_ORIGIN = "https://app.erp.test";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("ERP_IDENTITY_URL", () -> DEAD_UPSTREAM);
        registry.add("ERP_FILES_URL", () -> DEAD_UPSTREAM);
        registry.add("ERP_CHECKIN_URL", () -> DEAD_UPSTREAM);
        registry.add("management.server.port", () -> MANAGEMENT_PORT);
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + TestPostgres.server().getPort()
                + "/erp?currentSchema=gateway");
        registry.add("spring.datasource.username", () -> "gateway_svc");
        registry.add("spring.datasource.password", () -> "gateway_svc");
        registry.add("ERP_GATEWAY_CORS_ALLOWED_ORIGINS", () -> ALLOWED_ORIGIN + ", https://admin.erp.test");
        // each test speaks for its own client address through a trusted proxy's X-Forwarded-For
        registry.add("ERP_GATEWAY_TRUSTED_PROXIES", () -> "1");
        registry.add("ERP_GATEWAY_LOGIN_PER_IP", () -> "4/1h");
        registry.add("ERP_GATEWAY_RESET_PER_IP", () -> "3/1h");
        registry.add("ERP_GATEWAY_RESET_PER_ADDRESS", () -> "2/1h");
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private WebTestClient management() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + MANAGEMENT_PORT).build();
    }

    private static String adminToken() {
        return TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null);
    }

    /** A documentation address (RFC 5737) no other test uses. */
    private static String someClientAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "198.51." + random.nextInt(100, 200) + "." + random.nextInt(1, 255);
    }

    @Test
    void a_down_upstream_is_a_503_problem() {
        client().get().uri("/v1/missions/" + UUID.randomUUID() + "/worker-check-events")
                .header("Authorization", "Bearer " + adminToken())
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(503);
    }

    @Test
    void upstream_connections_are_kept_per_event_loop(@Autowired HttpClient gatewayClient) {
        // decision 0045: Spring Cloud Gateway's client, built by its factory, on the per-loop pools
        assertThat(gatewayClient.configuration().connectionProvider().getClass().getName())
                .isEqualTo("eu.erpdetachement.gateway.upstreams.EventLoopLocalConnections");
    }

    @Test
    void a_workers_time_sheet_is_routed_to_the_check_in_service() {
        // routed (the dead check-in upstream makes it a 503), not an unknown path's 404
        client().get().uri("/v1/workers/" + UUID.randomUUID() + "/timesheet?from=2026-11-01&to=2026-11-30")
                .header("Authorization", "Bearer " + adminToken())
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anonymous_routes_pass_without_a_token() {
        // login needs no token: the gateway forwards it, and the dead upstream makes it a 503, not a 401
        client().post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", someClientAddress())
                .bodyValue("{\"email\":\"a@b.test\",\"password\":\"x\"}")
                .exchange()
                .expectStatus().isEqualTo(503);
    }

    @Test
    void protected_routes_are_refused_at_the_edge_without_a_token() {
        client().get().uri("/v1/users")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void a_token_signed_by_another_key_is_refused() {
        try (TestTokens stranger = TestTokens.start()) {
            client().get().uri("/v1/me")
                    .header("Authorization", "Bearer " + stranger.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null))
                    .exchange()
                    .expectStatus().isUnauthorized();
        }
    }

    @Test
    void unknown_paths_are_a_404_problem_that_names_no_url() {
        client().get().uri("/v1/nothing-here").header("Authorization", "Bearer " + adminToken())
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(body -> assertThat(body).doesNotContain("http://localhost")
                        .doesNotContain("127.0.0.1").contains("\"detail\":\"No resource at this path.\""));
    }

    @Test
    void request_ids_are_echoed_once() {
        client().get().uri("/v1/me").header("X-Request-Id", "abc-123")
                .exchange()
                .expectHeader().values("X-Request-Id", values -> assertThat(values).containsExactly("abc-123"));
    }

    @Test
    void the_public_port_has_no_actuator_with_or_without_a_token() {
        for (String path : List.of("/actuator", "/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator/env", "/actuator/gateway/routes")) {
            client().get().uri(path).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            client().get().uri(path).header("Authorization", "Bearer " + adminToken()).exchange()
                    .expectStatus().isNotFound()
                    .expectBody(String.class).value(body -> assertThat(body).doesNotContain("_links"));
        }
    }

    @Test
    void health_and_metrics_are_on_the_management_port() {
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void a_cors_preflight_from_an_allowed_origin_is_answered_without_a_token() {
        client().options().uri("/v1/users")
                .header("Origin", ALLOWED_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
                .exchange()
                .expectStatus().is2xxSuccessful()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .expectHeader().value("Access-Control-Allow-Methods", methods -> assertThat(methods).contains("POST"))
                .expectHeader().value("Access-Control-Allow-Headers", headers -> assertThat(headers.toLowerCase())
                        .contains("authorization").contains("idempotency-key"));
        // the actual request then carries the CORS answer headers (here a 401: no token)
        client().get().uri("/v1/users").header("Origin", ALLOWED_ORIGIN)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", ALLOWED_ORIGIN)
                .expectHeader().value("Access-Control-Expose-Headers", exposed -> assertThat(exposed).contains("Retry-After"));
    }

    @Test
    void a_cors_preflight_from_another_origin_is_a_403_problem() {
        client().options().uri("/v1/users")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
    }

    @Test
    void sign_in_attempts_from_one_address_are_limited() {
        String client = someClientAddress();
        List<Integer> statuses = new ArrayList<>();
        for (int attempt = 0; attempt < 4; attempt++) {
            statuses.add(login(client, "someone-" + attempt + "@acme.test").getStatus().value());
        }
        assertThat(statuses).containsOnly(503); // passed the edge (the upstream is down)
        assertTooManyRequests(login(client, "someone-else@acme.test"));
        // another address is not affected
        assertThat(login(someClientAddress(), "someone-else@acme.test").getStatus().value()).isEqualTo(503);
    }

    @Test
    void password_reset_requests_are_limited_per_address_and_per_email() {
        String client = someClientAddress();
        String email = "reset-" + UUID.randomUUID() + "@acme.test";
        assertThat(resetRequest(client, email).getStatus().value()).isEqualTo(503);
        assertThat(resetRequest(someClientAddress(), email.toUpperCase()).getStatus().value()).isEqualTo(503);
        // the same email (whatever its case) from a third address: over the 2 per hour of that email
        assertTooManyRequests(resetRequest(someClientAddress(), " " + email + " "));

        String other = someClientAddress();
        for (int request = 0; request < 3; request++) {
            assertThat(resetRequest(other, "reset-" + UUID.randomUUID() + "@acme.test").getStatus().value()).isEqualTo(503);
        }
        assertTooManyRequests(resetRequest(other, "reset-" + UUID.randomUUID() + "@acme.test"));
    }

    private EntityExchangeResult<String> login(String client, String email) {
        return client().post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", client)
                .bodyValue("{\"email\":\"" + email + "\",\"password\":\"Wrong-Guess-1!\"}")
                .exchange().expectBody(String.class).returnResult();
    }

    private EntityExchangeResult<String> resetRequest(String client, String email) {
        return client().post().uri("/v1/auth/password-reset/request").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", client)
                .bodyValue("{\"email\":\"" + email + "\"}")
                .exchange().expectBody(String.class).returnResult();
    }

    private static void assertTooManyRequests(EntityExchangeResult<String> result) {
        assertThat(result.getStatus().value()).isEqualTo(429);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(Long.parseLong(result.getResponseHeaders().getFirst("Retry-After"))).isPositive();
        assertThat(result.getResponseBody()).contains("\"type\":\"https://erp-detachement.eu/problems/too-many-requests\"")
                .contains("\"status\":429");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
