package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every alert rule says how bad it is and where its runbook is, and that runbook exists in
 * docs/operations.md under the alert's name (the rules' behaviour is tested by promtool:
 * deploy/prometheus/check.sh).
 */
class AlertRulesTest {

    private static final Path REPO = RepositoryFiles.root();

    @Test
    void every_alert_has_a_severity_and_a_runbook_in_the_operations_guide() throws IOException {
        Set<String> anchors = Files.readAllLines(REPO.resolve("docs/operations.md")).stream()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
        List<String> alerts = new ArrayList<>();
        for (JsonNode group : YAMLMapper.builder().build().readTree(Files.readString(REPO.resolve("deploy/prometheus/alerts.yml"))).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.get("alert").asString();
                alerts.add(alert);
                assertThat(rule.path("labels").path("severity").asString()).as(alert).isIn("critical", "warning");
                String runbook = rule.path("annotations").path("runbook_url").asString();
                assertThat(runbook).as(alert).isEqualTo("docs/operations.md#" + alert.toLowerCase(Locale.ROOT));
                assertThat(anchors).as("a heading " + alert + " in docs/operations.md").contains(alert.toLowerCase(Locale.ROOT));
                assertThat(rule.path("annotations").path("summary").asString()).as(alert).isNotBlank();
            }
        }
        assertThat(alerts).contains("HighErrorRate", "SlowRoute", "OutboxRelayNoLeader", "OutboxRowsWaiting",
                "OutboxSlotHoldsWal", "KafkaConsumerLag", "KafkaDeadLetters", "PostgresqlUnreachable",
                "KeycloakUnreachable", "S3Unreachable", "LoginFailureSpike");
    }

    @Test
    void metric_names_are_told_apart_from_functions_labels_keywords_and_numbers() {
        assertThat(PromQl.metricNames("""
                histogram_quantile(0.99, sum by (application, le) (rate(http_server_requests_seconds_bucket{uri!="/x"}[5m]))) > 2
                  and sum without (instance) (rate(http_server_requests_seconds_count[$__rate_interval])) > 1e9
                  or (sum(erp_relay_leader) or vector(0)) < 1"""))
                .containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
                        "erp_relay_leader");
    }
}
