package eu.erpdetachement.checkin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * The caller's state of every request is read on the JDBC pool too: with that pool on a database
 * that never answers, each request is a 503 within the pool's bound (the first one included: the
 * pool once opened its first connection synchronously, without a login timeout, and waited for
 * ever), and the service keeps answering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SilentDatabaseCallerStateIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final SilentDatabaseIT.SilentListener SILENT = SilentDatabaseIT.SilentListener.start();

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

    @Test
    void each_request_is_a_503_and_the_service_keeps_answering() {
        for (int i = 0; i < 3; i++) {
            String token = TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "manager", null);
            // a bound for a slow, shared machine: a request that hangs fails the test
            EntityExchangeResult<String> result = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(60)).build()
                    .get().uri("/v1/missions/" + UUID.randomUUID() + "/worker-check-events")
                    .header("Authorization", "Bearer " + token).exchange().expectBody(String.class).returnResult();
            assertThat(result.getStatus().value()).isEqualTo(503);
            assertThat(result.getResponseBody()).contains("service-unavailable");
        }
        assertThat(SILENT.accepted()).isPositive();
    }
}
