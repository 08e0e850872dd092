package eu.erpdetachement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.sun.net.httpserver.HttpServer;

import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * A service given as a list of instances (decision 0024) is balanced round-robin: each instance
 * answers every other request. Two plain HTTP servers stand in for two identity instances.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UpstreamBalancingIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final List<Upstream> IDENTITY = List.of(Upstream.start(), Upstream.start());

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("ERP_IDENTITY_URL", () -> IDENTITY.get(0).url() + "," + IDENTITY.get(1).url());
        registry.add("management.server.port", () -> 0);
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + TestPostgres.server().getPort()
                + "/erp?currentSchema=gateway");
        registry.add("spring.datasource.username", () -> "gateway_svc");
        registry.add("spring.datasource.password", () -> "gateway_svc");
        registry.add("ERP_GATEWAY_LOGIN_PER_IP", () -> "1000/1m");
    }

    @AfterAll
    static void stop() {
        IDENTITY.forEach(upstream -> upstream.server().stop(0));
        TOKENS.close();
    }

    @Test
    void each_of_two_instances_answers_every_other_request() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        for (int i = 0; i < 10; i++) {
            client.post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"email\":\"a@b.test\",\"password\":\"x\"}")
                    .exchange().expectStatus().isOk();
        }
        assertThat(IDENTITY).extracting(upstream -> upstream.served().get()).containsExactly(5, 5);
    }

    private record Upstream(HttpServer server, AtomicInteger served) {

        static Upstream start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                AtomicInteger served = new AtomicInteger();
                server.createContext("/", exchange -> {
                    served.incrementAndGet();
                    exchange.getRequestBody().readAllBytes();
                    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                return new Upstream(server, served);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
