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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.revocation.CallerState;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import eu.erpdetachement.platform.revocation.JdbcCallerStateLookup;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import reactor.core.publisher.Mono;

/**
 * The service's JDBC pool points at a database that accepts connections and never answers, while
 * its R2DBC pool and Flyway reach the real one (so the service starts). Every route's own unit of
 * work is answered within its bounds, as a 503 or a 504 problem (which one depends on whether a
 * login attempt had already failed when the pool's wait ended), and the service keeps answering.
 * The caller's state is read here through the platform's R2DBC store, from the real database, so
 * that the requests reach their units; {@link SilentDatabaseCallerStateIT} covers that read on the silent pool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.main.allow-bean-definition-overriding=true")
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

    /** The JDBC lookup's bean, reading the caller's state through R2DBC instead (the real database). */
    @TestConfiguration
    static class CallerStateFromTheRealDatabase {

        @Bean
        @Primary
        JdbcCallerStateLookup jdbcCallerStateLookup(BlockingDataAccess data, CallerStateStore realDatabase) {
            return new JdbcCallerStateLookup(data) {
                @Override
                public Mono<CallerState> find(UUID userId, String sessionId) {
                    return realDatabase.find(userId, sessionId);
                }
            };
        }
    }

    @AfterAll
    static void stop() throws IOException {
        TOKENS.close();
        SILENT.close();
    }

    private EntityExchangeResult<String> call(String method, String path) {
        String token = TOKENS.token(UUID.randomUUID(), tenant, "manager", null);
        // a bound for a slow, shared machine: a request that hangs fails the test
        var client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
        var request = method.equals("POST")
                ? client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"worker_id":"%s","event_type":"check_in","occurred_at":"%s","source":"mobile","metadata":{}}"""
                        .formatted(UUID.randomUUID(), Instant.now().minusSeconds(60)))
                : client.get().uri(path);
        return request.header("Authorization", "Bearer " + token).exchange().expectBody(String.class).returnResult();
    }

    @Test
    void every_routes_unit_of_work_is_answered_with_a_problem_and_the_service_keeps_answering() {
        UUID mission = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        UUID worker = UUID.randomUUID();
        String[][] routes = {
                {"POST", "/v1/missions/" + mission + "/worker-check-events", "/v1/missions/{mission_id}/worker-check-events"},
                {"GET", "/v1/missions/" + mission + "/worker-check-events", "/v1/missions/{mission_id}/worker-check-events"},
                {"GET", "/v1/missions/" + mission + "/worker-check-events/" + event,
                        "/v1/missions/{mission_id}/worker-check-events/{check_event_id}"},
                {"GET", "/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + worker,
                        "/v1/missions/{mission_id}/worker-check-events:verify"},
                {"GET", "/v1/workers/" + worker + "/timesheet?from=2026-12-01&to=2026-12-07", "/v1/workers/{worker_id}/timesheet"},
                {"POST", "/v1/missions/" + mission + "/worker-check-events", "/v1/missions/{mission_id}/worker-check-events"}};
        for (String[] route : routes) {
            EntityExchangeResult<String> result = call(route[0], route[1]);
            assertThat(result.getStatus().value()).as(route[0] + " " + route[1]).isIn(503, 504);
            assertThat(result.getResponseBody()).containsAnyOf("service-unavailable", "upstream-timeout");
        }
        assertThat(SILENT.accepted()).isPositive(); // the pool did try the silent database
    }

    /** Accepts connections, reads nothing, answers nothing, until closed (shared with {@link SilentDatabaseCallerStateIT}). */
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
