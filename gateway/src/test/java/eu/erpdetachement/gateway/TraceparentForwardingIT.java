package eu.erpdetachement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.sun.net.httpserver.Headers;

import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * A routed request reaches its service under the gateway's server span (decision 0038): same trace
 * as the client's, the gateway's span as parent, and a trace of its own when the client sent none.
 * A plain HTTP server stands in for the identity service and keeps the headers it was sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TraceparentForwardingIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final StubUpstream IDENTITY = StubUpstream.start();
    private static final String TRACEPARENT = "00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        StubUpstream.gatewayProperties(registry, TOKENS);
        registry.add("ERP_IDENTITY_URL", IDENTITY::url);
        registry.add("ERP_GATEWAY_LOGIN_PER_IP", () -> "1000/1m");
    }

    @AfterAll
    static void stop() {
        IDENTITY.stop();
        TOKENS.close();
    }

    @Test
    void the_service_gets_the_clients_trace_with_the_gateways_span_as_parent() throws InterruptedException {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";

        String forwarded = forwardedTraceparent("00-" + traceId + "-" + clientSpan + "-01");

        assertThat(forwarded).matches(TRACEPARENT).startsWith("00-" + traceId + "-")
                .as("the parent is the gateway's span, not the client's").doesNotContain(clientSpan);
    }

    @Test
    void a_request_without_a_trace_reaches_the_service_under_the_trace_the_gateway_started() throws InterruptedException {
        assertThat(forwardedTraceparent(null)).matches(TRACEPARENT).doesNotStartWith("00-00000000000000000000000000000000");
    }

    /** Signs in through the gateway, with the client's traceparent if any; what the service was sent. */
    private String forwardedTraceparent(String traceparent) throws InterruptedException {
        IDENTITY.received().clear();
        WebTestClient.RequestBodySpec request = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        request.bodyValue("{\"email\":\"a@b.test\",\"password\":\"x\"}").exchange().expectStatus().isOk();
        Headers received = IDENTITY.received().poll(10, TimeUnit.SECONDS);
        assertThat(received).as("the request reached the service").isNotNull();
        return received.getFirst("traceparent");
    }
}
