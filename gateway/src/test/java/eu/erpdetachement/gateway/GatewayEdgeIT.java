package eu.erpdetachement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * The gateway's own behaviour at the edge, with every upstream down: it still authenticates, still
 * answers problem+json, and turns a dead upstream into a 503 rather than a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEdgeIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final String DEAD_UPSTREAM = "http://127.0.0.1:" + freePort();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("ERP_IDENTITY_URL", () -> DEAD_UPSTREAM);
        registry.add("ERP_FILES_URL", () -> DEAD_UPSTREAM);
        registry.add("ERP_CHECKIN_URL", () -> DEAD_UPSTREAM);
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    private static String adminToken() {
        return TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null);
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
    void anonymous_routes_pass_without_a_token() {
        // login needs no token: the gateway forwards it, and the dead upstream makes it a 503, not a 401
        client().post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
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
    void unknown_paths_are_a_404_problem() {
        client().get().uri("/v1/nothing-here").header("Authorization", "Bearer " + adminToken())
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void request_ids_are_echoed() {
        client().get().uri("/v1/me").header("X-Request-Id", "abc-123")
                .exchange()
                .expectHeader().valueEquals("X-Request-Id", "abc-123");
    }

    @Test
    void the_health_and_metrics_endpoints_are_open_to_the_platform() {
        client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        client().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
