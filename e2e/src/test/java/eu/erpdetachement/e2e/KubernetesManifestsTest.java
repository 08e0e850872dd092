package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/k8s/base held to the services' real configuration, as DeploymentConfigTest holds compose
 * (decision 0022): the variables set are those the service reads, probes on its management port,
 * a termination grace longer than the preStop pause plus Spring's drain, non-root with a read-only
 * root, a disruption budget, an autoscaler for the four HTTP services and two relays without one,
 * and network policies that let only the gateway be reached from outside. deploy/k8s/validate.sh
 * checks the same files (and the rendered overlays) against the Kubernetes API schemas.
 */
class KubernetesManifestsTest {

    private static final Path REPO = RepositoryFiles.root();
    private static final Map<String, Integer> PORTS = Map.of("gateway", 8080, "identity-service", 8081,
            "files-service", 8082, "checkin-service", 8083, "outbox-relay", 8084);
    private static final Map<String, Integer> MANAGEMENT_PORTS = Map.of("gateway", 9080, "identity-service", 9081,
            "files-service", 9082, "checkin-service", 9083, "outbox-relay", 9084);
    /** Spring Boot's default graceful drain (spring.lifecycle.timeout-per-shutdown-phase) when a service sets none. */
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
    private static final List<JsonNode> BASE = readBase();

    private static JsonNode object(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("No " + kind + " " + name + " in deploy/k8s/base"));
    }

    private static Optional<JsonNode> find(String kind, String name) {
        return BASE.stream().filter(o -> o.get("kind").asString().equals(kind)
                && o.get("metadata").get("name").asString().equals(name)).findFirst();
    }

    private static JsonNode container(String service) {
        return object("Deployment", service).at("/spec/template/spec/containers/0");
    }

    /** Every variable the container gets: its env and its ConfigMap's keys. */
    private static Set<String> variablesSet(String service) {
        Set<String> set = new TreeSet<>();
        container(service).get("env").valueStream().forEach(e -> set.add(e.get("name").asString()));
        container(service).get("envFrom").valueStream().forEach(source -> {
            String configMap = source.at("/configMapRef/name").asString();
            set.addAll(object("ConfigMap", configMap).get("data").propertyNames());
        });
        return set;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_deployment_sets_only_variables_the_service_reads_and_every_one_whose_default_is_local(String service) {
        Map<String, String> read = DeploymentConfigTest.variablesReadBy(service);
        Set<String> set = variablesSet(service);
        assertThat(new TreeSet<>(set)).as(service + " is given variables it never reads").isSubsetOf(read.keySet());
        read.forEach((name, fallback) -> {
            if (fallback.contains("localhost") || fallback.contains("127.0.0.1") || name.equals("ERP_DB_PASSWORD")) {
                assertThat(set).as(service + " would use its local default of " + name).contains(name);
            }
        });
        // passwords and keys come from the service's Secret, never from a ConfigMap
        container(service).get("env").valueStream()
                .filter(e -> e.get("name").asString().matches(".*(PASSWORD|SECRET|ACCESS_KEY).*"))
                .forEach(e -> assertThat(e.at("/valueFrom/secretKeyRef/name").asString()).as(e.toString()).isEqualTo(service));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void probes_ask_the_management_port_and_the_api_port_is_the_services(String service) {
        JsonNode container = container(service);
        Map<String, String> env = envValues(container);
        assertThat(env).containsEntry("SERVER_PORT", PORTS.get(service).toString())
                .containsEntry("MANAGEMENT_SERVER_PORT", MANAGEMENT_PORTS.get(service).toString());
        assertThat(port(container, "management")).isEqualTo(MANAGEMENT_PORTS.get(service));
        assertThat(port(container, "http")).isEqualTo(PORTS.get(service));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asString()).as(probe).isEqualTo("management");
        }
        assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
        assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
        assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
        assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void termination_waits_for_the_pause_and_the_drain(String service) {
        JsonNode pod = object("Deployment", service).at("/spec/template/spec");
        int pause = container(service).at("/lifecycle/preStop/sleep/seconds").asInt();
        assertThat(pause).as("a preStop pause lets endpoints forget the pod before it drains").isPositive();
        long drain = drain(service).toSeconds();
        assertThat(pod.get("terminationGracePeriodSeconds").asLong()).isGreaterThan(pause + drain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_pod_runs_as_non_root_on_a_read_only_root_with_a_writable_tmp(String service) {
        JsonNode pod = object("Deployment", service).at("/spec/template/spec");
        JsonNode container = container(service);
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isNotZero();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).contains("ALL");
        String tmpVolume = container.get("volumeMounts").valueStream()
                .filter(m -> m.get("mountPath").asString().equals("/tmp")).findFirst().orElseThrow().get("name").asString();
        assertThat(pod.get("volumes").valueStream().filter(v -> v.get("name").asString().equals(tmpVolume))
                .findFirst().orElseThrow().has("emptyDir")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void every_service_has_a_disruption_budget_and_the_http_services_an_autoscaler(String service) {
        JsonNode budget = object("PodDisruptionBudget", service);
        assertThat(budget.at("/spec/selector/matchLabels")).isEqualTo(object("Deployment", service).at("/spec/selector/matchLabels"));
        Optional<JsonNode> autoscaler = find("HorizontalPodAutoscaler", service);
        if (service.equals("outbox-relay")) {
            // one active relay holds the leader lock, the other stands by: two, and never scaled by load
            assertThat(autoscaler).isEmpty();
            assertThat(object("Deployment", service).at("/spec/replicas").asInt()).isEqualTo(2);
            assertThat(object("Deployment", service).at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        } else {
            assertThat(autoscaler).isPresent();
            assertThat(autoscaler.get().at("/spec/scaleTargetRef/name").asString()).isEqualTo(service);
            assertThat(autoscaler.get().at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(object("Deployment", service).at("/spec/replicas").isMissingNode())
                    .as("the autoscaler owns the count; an apply of a fixed one would reset it").isTrue();
        }
    }

    @Test
    void only_the_gateway_is_reachable_from_outside_the_others_from_the_gateway_identity_and_prometheus() {
        JsonNode denyAll = object("NetworkPolicy", "default-deny-ingress");
        assertThat(denyAll.at("/spec/podSelector").isEmpty()).isTrue();
        assertThat(denyAll.at("/spec/ingress").isMissingNode()).isTrue();
        for (String service : PORTS.keySet()) {
            JsonNode policy = object("NetworkPolicy", service);
            assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asString()).isEqualTo(service);
            for (JsonNode rule : policy.at("/spec/ingress").valueStream().toList()) {
                String port = rule.at("/ports/0/port").asString();
                String from = rule.get("from") == null ? "anywhere" : rule.get("from").toString();
                switch (port) {
                    case "management" -> assertThat(from).contains("\"prometheus\"").contains("monitoring");
                    case "http" -> {
                        if (service.equals("gateway")) {
                            assertThat(from).isEqualTo("anywhere");
                        } else if (List.of("files-service", "checkin-service").contains(service) && from.contains("identity-service")) {
                            // their internal personal-data route, for identity only (docs/data-protection.md)
                            assertThat(from).isEqualTo("[{\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"identity-service\"}}}]");
                        } else {
                            assertThat(from).isEqualTo("[{\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"gateway\"}}}]");
                        }
                    }
                    default -> throw new AssertionError(service + " lets in port " + port);
                }
            }
        }
    }

    @Test
    void the_gateway_routes_to_the_kubernetes_services_on_their_ports() {
        JsonNode config = object("ConfigMap", "gateway").get("data");
        for (String service : List.of("identity-service", "files-service", "checkin-service")) {
            String variable = "ERP_" + service.replace("-service", "").toUpperCase() + "_URL";
            assertThat(config.get(variable).asString()).isEqualTo("http://" + service + ":" + PORTS.get(service));
            assertThat(object("Service", service).get("spec").toString()).contains("\"port\":" + PORTS.get(service));
        }
    }

    private static Duration drain(String service) {
        Matcher m = Pattern.compile("timeout-per-shutdown-phase:\\s*(\\S+)").matcher(RepositoryFiles.read(REPO.resolve(service + "/src/main/resources/application.yml")));
        if (!m.find()) {
            return DEFAULT_DRAIN;
        }
        String value = m.group(1);
        return value.startsWith("P") ? Duration.parse(value) : Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
    }

    private static Map<String, String> envValues(JsonNode container) {
        Map<String, String> values = new java.util.HashMap<>();
        container.get("env").valueStream().filter(e -> e.has("value"))
                .forEach(e -> values.put(e.get("name").asString(), e.get("value").asString()));
        return values;
    }

    private static int port(JsonNode container, String name) {
        return container.get("ports").valueStream().filter(p -> p.get("name").asString().equals(name))
                .findFirst().orElseThrow().get("containerPort").asInt();
    }

    private static List<JsonNode> readBase() {
        List<JsonNode> objects = new ArrayList<>();
        YAMLMapper yaml = YAMLMapper.builder().build();
        try (Stream<Path> files = Files.list(REPO.resolve("deploy/k8s/base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                try (var parser = yaml.createParser(file.toFile())) {
                    yaml.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return objects;
    }
}
