package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every metric a Grafana dashboard or an alert rule queries is one the running services emit: the
 * five /actuator/prometheus endpoints of the embedded stack are scraped after some traffic, and the
 * metric names of every PromQL expression in deploy/ are looked up in what they expose. A panel or
 * a rule on a metric nobody emits would stay empty or silent for good (decision 0021).
 */
@ExtendWith(EmbeddedStack.class)
class MetricsCatalogIT {

    private static final List<String> SERVICES = List.of("gateway", "identity-service", "files-service",
            "checkin-service", "outbox-relay");
    /** Series Prometheus makes itself, not the services. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "scrape_duration_seconds", "ALERTS", "ALERTS_FOR_STATE");
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Path REPO = RepositoryFiles.root();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void traffic() {
        Api api = EmbeddedStack.gateway();
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        api.post("/v1/auth/login", null, "application/json", Api.JSON.writeValueAsString(
                Map.of("email", "nobody-" + UUID.randomUUID() + "@acme.test", "password", "Wrong-2026!")), Map.of());
        api.get("/v1/me", token);
        UUID worker = Members.workerKnownToCheckin(api, token);
        Api.Reply created = api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of()));
        assertThat(created.status()).isEqualTo(201);
        // the relay's publication metrics exist once it published something
        await().atMost(Duration.ofSeconds(60)).until(() -> emitted("outbox-relay").contains("erp_relay_published_total"));
    }

    @Test
    void every_metric_a_dashboard_or_an_alert_rule_queries_is_emitted_by_a_service() throws IOException {
        Set<String> emitted = new HashSet<>(PROMETHEUS_OWN);
        for (String service : SERVICES) {
            emitted.addAll(emitted(service));
        }

        Map<String, Set<String>> queried = queriedMetrics();
        assertThat(queried).as("metrics named in deploy/").isNotEmpty();
        Map<String, Set<String>> missing = new TreeMap<>();
        queried.forEach((metric, where) -> {
            if (!emitted.contains(metric)) {
                missing.put(metric, where);
            }
        });
        assertThat(missing).as("metrics queried in deploy/ that no service emits (metric -> where)").isEmpty();
    }

    @Test
    void the_http_server_histogram_the_p99_panels_read_is_emitted() {
        for (String service : List.of("gateway", "identity-service", "checkin-service")) {
            assertThat(emitted(service)).as(service).contains("http_server_requests_seconds_bucket");
        }
    }

    /** Metric name -> the files whose expressions name it. */
    private static Map<String, Set<String>> queriedMetrics() throws IOException {
        Map<String, Set<String>> queried = new TreeMap<>();
        try (Stream<Path> dashboards = Files.list(REPO.resolve("deploy/grafana/dashboards"))) {
            for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String expr : expressions(Api.JSON.readTree(Files.readString(dashboard)))) {
                    PromQl.metricNames(expr).forEach(m -> queried.computeIfAbsent(m, k -> new TreeSet<>()).add(dashboard.getFileName().toString()));
                }
            }
        }
        JsonNode rules = YAMLMapper.builder().build().readTree(Files.readString(REPO.resolve("deploy/prometheus/alerts.yml")));
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                PromQl.metricNames(rule.get("expr").asString()).forEach(m -> queried.computeIfAbsent(m, k -> new TreeSet<>())
                        .add("alerts.yml " + rule.get("alert").asString()));
            }
        }
        return queried;
    }

    private static List<String> expressions(JsonNode node) {
        List<String> found = new java.util.ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr") && e.getValue().isString()) {
                    found.add(e.getValue().asString());
                } else {
                    found.addAll(expressions(e.getValue()));
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> found.addAll(expressions(child)));
        }
        return found;
    }

    private static Set<String> emitted(String service) {
        String body = scrape(service);
        Set<String> names = new HashSet<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE_NAME.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String scrape(String service) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(EmbeddedStack.stack().managementUrl(service) + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(service + " /actuator/prometheus").isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
