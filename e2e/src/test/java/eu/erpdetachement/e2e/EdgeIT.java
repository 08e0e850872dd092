package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the public edge shows through the whole stack: nothing of the management endpoints, no internal
 * address in an upstream's problem, one request id per answer.
 */
@ExtendWith(EmbeddedStack.class)
class EdgeIT {

    private static final Api api = EmbeddedStack.gateway();
    private static final List<String> SERVICES = List.of("gateway", "identity-service", "files-service", "checkin-service",
            "outbox-relay");
    private static String admin;

    @BeforeAll
    static void signIn() {
        admin = EmbeddedStack.ACME_ADMIN.signIn(api);
    }

    private static Api.Reply raw(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return api.raw(request);
    }

    @Test
    void no_api_port_serves_actuator_and_every_management_port_does() {
        for (String service : SERVICES) {
            String apiUrl = service.equals("gateway") ? EmbeddedStack.stack().gatewayUrl()
                    : EmbeddedStack.stack().serviceUrl(service);
            for (String path : List.of("/actuator/prometheus", "/actuator/health/readiness")) {
                Api.Reply reply = raw(apiUrl + path, admin);
                assertThat(reply.status()).as(service + path).isEqualTo(404);
                assertThat(reply.contentType()).startsWith("application/problem+json");
            }
            Api.Reply listing = raw(apiUrl + "/actuator", admin);
            assertThat(listing.status()).as(service + " /actuator").isIn(401, 404);
            assertThat(listing.body()).doesNotContain("_links");

            String management = EmbeddedStack.stack().managementUrl(service);
            assertThat(raw(management + "/actuator/health/readiness", null).status()).as(service).isEqualTo(200);
            assertThat(raw(management + "/actuator/prometheus", null).body()).as(service).contains("jvm_memory_used_bytes");
        }
        // what the public port used to show: upstream addresses and the data directory
        assertThat(raw(EmbeddedStack.stack().gatewayUrl() + "/actuator/prometheus", null).body())
                .doesNotContain("127.0.0.1").doesNotContain("e2e-stack");
    }

    @Test
    void a_404_from_a_service_names_no_internal_address() {
        for (String path : List.of("/v1/users/" + UUID.randomUUID() + "/nothing", "/v1/files/" + UUID.randomUUID() + "/x/y",
                "/v1/missions/" + UUID.randomUUID() + "/worker-check-events/a/b")) {
            Api.Reply reply = raw(EmbeddedStack.stack().gatewayUrl() + path, admin);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.body()).as(path).doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotContain("http://");
        }
    }

    @Test
    void a_proxied_answer_carries_one_request_id() {
        Api.Reply me = api.raw(api.request("/v1/me", admin, Map.of("X-Request-Id", "edge-it-1")).GET());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.headers().allValues("X-Request-Id")).containsExactly("edge-it-1");

        Api.Reply problem = api.postJson("/v1/auth/login", null, Map.of("email", Members.uniqueEmail("nobody"), "password", "x"));
        assertThat(problem.headers().allValues("X-Request-Id")).hasSize(1);
    }
}
