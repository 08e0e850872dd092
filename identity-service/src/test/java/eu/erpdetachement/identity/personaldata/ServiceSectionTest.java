package eu.erpdetachement.identity.personaldata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.sun.net.httpserver.HttpServer;

import eu.erpdetachement.identity.config.PersonalDataProperties;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Role;

/** A section another service holds: its whole part, or a 503 within the bounds, never a partial one. */
class ServiceSectionTest {

    private static final PersonalDataProperties BOUNDS = new PersonalDataProperties(null, null, Duration.ofMillis(500),
            Duration.ofMillis(500));
    private final UUID user = UUID.randomUUID();
    private final UUID worker = UUID.randomUUID();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void answers_the_services_section_asked_with_the_callers_token_and_the_worker_id() throws Exception {
        AtomicReference<String> asked = new AtomicReference<>();
        String url = answering(200, "{\"check_events\":[{\"check_event_id\":\"x\"}]}", asked);

        Object part = section(url).export(request()).block(Duration.ofSeconds(5));

        assertThat(part.toString()).contains("check_event_id");
        assertThat(asked.get()).isEqualTo("/internal/v1/users/" + user + "/personal-data?worker_id=" + worker + " Bearer t0ken");
    }

    @Test
    void a_section_larger_than_the_services_codec_limit_is_read_whole() throws Exception {
        StringBuilder events = new StringBuilder("{\"check_events\":[");
        for (int i = 0; i < 10_000; i++) {
            events.append(i == 0 ? "" : ",").append("{\"check_event_id\":\"event-").append(i).append("-padding-padding-padding\"}");
        }
        String url = answering(200, events.append("]}").toString(), new AtomicReference<>());

        Object part = section(url).export(request()).block(Duration.ofSeconds(5));

        assertThat(((tools.jackson.databind.JsonNode) part).size()).isEqualTo(10_000);
    }

    @Test
    void a_service_that_accepts_and_never_answers_is_a_503_within_the_bounds() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        servers.add(silent);
        Instant start = Instant.now();

        assertThatThrownBy(() -> section("http://127.0.0.1:" + silent.getLocalPort()).export(request()).block(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UPSTREAM_UNAVAILABLE));
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void an_error_answer_or_an_answer_without_the_section_is_a_503() throws Exception {
        for (String url : List.of(answering(500, "{}", new AtomicReference<>()), answering(403, "{}", new AtomicReference<>()),
                answering(200, "{\"files\":[]}", new AtomicReference<>()), answering(200, "{\"check_events\":{}}", new AtomicReference<>()))) {
            assertThatThrownBy(() -> section(url).export(request()).block(Duration.ofSeconds(5)))
                    .as(url).isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.type()).isEqualTo(ProblemType.UPSTREAM_UNAVAILABLE));
        }
    }

    @Test
    void nobody_listening_is_a_503() {
        assertThatThrownBy(() -> section("http://127.0.0.1:9").export(request()).block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UPSTREAM_UNAVAILABLE));
    }

    private ServiceSection section(String url) {
        return new ServiceSection("check_events", "check-in", url, BOUNDS, WebClient.builder());
    }

    private PersonalDataRequest request() {
        UserProfile subject = new UserProfile(user, UUID.randomUUID(), "w@acme.test", Role.WORKER, true, "fr", worker,
                Instant.EPOCH, Instant.EPOCH);
        return new PersonalDataRequest(subject, null, null, "Bearer t0ken");
    }

    private String answering(int status, String body, AtomicReference<String> asked) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.set(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
