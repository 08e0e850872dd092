package eu.erpdetachement.checkin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * The service's JDBC pool points at a database that accepts connections and never answers (its
 * R2DBC and Flyway reach the real one, so the service starts): every request is answered within the
 * pool's bound (ERP_DB_POOL_ACQUIRE_TIMEOUT), as a 503, and the service keeps answering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SilentDatabaseIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final SilentListener SILENT = SilentListener.start();

    private final UUID tenant = UUID.randomUUID();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false");
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + SILENT.port() + "/erp?currentSchema=checkin");
        registry.add("spring.r2dbc.pool.max-acquire-time", () -> "2s");
    }

    @AfterAll
    static void stop() throws IOException {
        TOKENS.close();
        SILENT.close();
    }

    private EntityExchangeResult<String> call(String method, String path) {
        String token = TOKENS.token(UUID.randomUUID(), tenant, "manager", null);
        var client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
        var request = method.equals("POST")
                ? client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"worker_id":"%s","event_type":"check_in","occurred_at":"%s","source":"mobile","metadata":{}}"""
                        .formatted(UUID.randomUUID(), Instant.now().minusSeconds(60)))
                : client.get().uri(path);
        return request.header("Authorization", "Bearer " + token).exchange().expectBody(String.class).returnResult();
    }

    @Test
    void requests_get_a_503_and_the_service_keeps_answering() {
        UUID mission = UUID.randomUUID();
        for (String[] route : new String[][] {{"POST", "/v1/missions/" + mission + "/worker-check-events"},
                {"GET", "/v1/missions/" + mission + "/worker-check-events"},
                {"POST", "/v1/missions/" + mission + "/worker-check-events"}}) {
            EntityExchangeResult<String> result = call(route[0], route[1]);
            assertThat(result.getStatus().value()).as(route[0] + " " + route[1]).isEqualTo(503);
            assertThat(result.getResponseBody()).contains("service-unavailable");
        }
        assertThat(SILENT.accepted()).isPositive(); // the pool did try the silent database
    }

    /** Accepts connections, reads nothing, answers nothing, until closed. */
    static final class SilentListener implements AutoCloseable {

        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        private SilentListener(ServerSocket server) {
            this.server = server;
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        static SilentListener start() {
            try {
                return new SilentListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
