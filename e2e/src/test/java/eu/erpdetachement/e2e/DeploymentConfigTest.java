package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docker-compose.yml cannot run on these machines (no Docker engine), so it is held to the
 * services' real configuration instead: every variable a service needs is set, none it does not
 * read, its port is published and health-checked, it waits for what it talks to, and the images
 * are the ones Jib builds.
 */
class DeploymentConfigTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Map<String, Integer> PORTS = Map.of("gateway", 8080, "identity-service", 8081,
            "files-service", 8082, "checkin-service", 8083, "outbox-relay", 8084);
    /** Actuator (health, metrics) of each service: never on its API port (decision 0016). */
    private static final Map<String, Integer> MANAGEMENT_PORTS = Map.of("gateway", 9080, "identity-service", 9081,
            "files-service", 9082, "checkin-service", 9083, "outbox-relay", 9084);
    private static final Path REPO = RepositoryFiles.root();
    private static final JsonNode COMPOSE = read(REPO.resolve("docker-compose.yml"));

    /** Variables a service reads (from its application.yml and the platform defaults), with their defaults. */
    static Map<String, String> variablesReadBy(String service) {
        Map<String, String> variables = new HashMap<>();
        for (Path file : List.of(REPO.resolve(service + "/src/main/resources/application.yml"),
                REPO.resolve("platform/src/main/resources/erp-platform.yml"))) {
            Matcher m = PLACEHOLDER.matcher(RepositoryFiles.read(file));
            while (m.find()) {
                variables.put(m.group(1), m.group(2) == null ? "" : m.group(2));
            }
        }
        // the bootstrap tenants are bound by Spring's relaxed binding, not by placeholders
        if (service.equals("identity-service")) {
            for (int i = 0; i < 10; i++) {
                for (String part : List.of("SLUG", "ID", "ADMINEMAIL", "ADMINPASSWORD")) {
                    variables.put("ERP_BOOTSTRAP_TENANTS_" + i + "_" + part, "");
                }
            }
        }
        return variables;
    }

    private static JsonNode environment(String service) {
        return COMPOSE.get("services").get(service).get("environment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void compose_sets_only_variables_the_service_reads(String service) {
        Set<String> read = variablesReadBy(service).keySet();
        Set<String> set = new TreeSet<>(environment(service).propertyNames());
        set.removeAll(read);
        assertThat(set).as(service + " is given variables it never reads (typo?)").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void compose_sets_every_variable_whose_default_only_works_on_localhost(String service) {
        Set<String> missing = new TreeSet<>();
        variablesReadBy(service).forEach((name, fallback) -> {
            boolean localOnly = fallback.contains("localhost") || fallback.contains("127.0.0.1");
            if (localOnly && !environment(service).has(name)) {
                missing.add(name);
            }
        });
        assertThat(missing).as(service + " would talk to localhost inside its container").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_service_listens_publishes_and_is_health_checked_on_its_port(String service) {
        int port = PORTS.get(service);
        JsonNode definition = COMPOSE.get("services").get(service);
        assertThat(environment(service).get("SERVER_PORT").asInt()).isEqualTo(port);
        assertThat(variablesReadBy(service).get("SERVER_PORT")).isEqualTo(Integer.toString(port));
        assertThat(definition.get("ports").valueStream().map(JsonNode::asString)).contains(port + ":" + port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_service_is_health_checked_on_its_unpublished_management_port(String service) {
        int port = MANAGEMENT_PORTS.get(service);
        JsonNode definition = COMPOSE.get("services").get(service);
        assertThat(environment(service).get("MANAGEMENT_SERVER_PORT").asInt()).isEqualTo(port);
        assertThat(variablesReadBy(service).get("MANAGEMENT_SERVER_PORT")).isEqualTo(Integer.toString(port));
        assertThat(definition.get("ports").valueStream().map(JsonNode::asString)).noneMatch(p -> p.endsWith(":" + port));
        assertThat(definition.get("healthcheck").get("test").toString()).contains("/actuator/health/readiness")
                .contains("MANAGEMENT_SERVER_PORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_image_is_the_one_jib_builds(String service) {
        String pom = RepositoryFiles.read(REPO.resolve("pom.xml"));
        assertThat(pom).contains("<image>erp-detachement/${project.artifactId}:${project.version}</image>");
        String version = pom.replaceAll("(?s).*?<artifactId>erp-detachement</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        assertThat(COMPOSE.get("services").get(service).get("image").asString())
                .isEqualTo("erp-detachement/" + service + ":" + version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void services_wait_for_what_they_talk_to(String service) {
        JsonNode dependsOn = COMPOSE.get("services").get(service).get("depends_on");
        Map<String, String> read = variablesReadBy(service);
        if (read.containsKey("ERP_DB_HOST")) {
            assertThat(dependsOn.has(environment(service).get("ERP_DB_HOST").asString())).as(service + " waits for its database").isTrue();
        }
        if (environment(service).has("ERP_KAFKA_BOOTSTRAP_SERVERS")) {
            assertThat(dependsOn.has(environment(service).get("ERP_KAFKA_BOOTSTRAP_SERVERS").asString().split(":")[0])).isTrue();
        }
        if (environment(service).has("ERP_KEYCLOAK_URL")) {
            assertThat(dependsOn.has("keycloak")).isTrue();
        }
    }

    @Test
    void the_gateway_routes_to_the_compose_services_on_their_ports() {
        JsonNode env = environment("gateway");
        assertThat(env.get("ERP_IDENTITY_URL").asString()).isEqualTo("http://identity-service:" + PORTS.get("identity-service"));
        assertThat(env.get("ERP_FILES_URL").asString()).isEqualTo("http://files-service:" + PORTS.get("files-service"));
        assertThat(env.get("ERP_CHECKIN_URL").asString()).isEqualTo("http://checkin-service:" + PORTS.get("checkin-service"));
    }

    @Test
    void every_service_has_its_database_role_and_schema_in_the_init_script() {
        String init = RepositoryFiles.read(REPO.resolve("deploy/postgres/init.sql"));
        for (String service : PORTS.keySet()) {
            String role = environment(service).get("ERP_DB_USER").asString();
            assertThat(init).contains("CREATE ROLE " + role);
            assertThat(init).containsPattern("CREATE SCHEMA \\w+\\s+AUTHORIZATION " + role + ";");
        }
    }

    @Test
    void postgres_runs_with_logical_wal_and_the_shared_init_script() {
        JsonNode postgres = COMPOSE.get("services").get("postgres");
        assertThat(postgres.get("command").toString()).contains("wal_level=logical");
        // init.sh runs init.sql from where compose mounts it, outside the entrypoint's directory (which would run it without variables)
        String initSh = RepositoryFiles.read(REPO.resolve("deploy/postgres/init.sh"));
        String sqlPath = initSh.replaceAll("(?s).*\\$\\{ERP_INIT_SQL:-([^}]+)}.*", "$1");
        assertThat(postgres.get("volumes").valueStream().map(JsonNode::asString))
                .contains("./deploy/postgres/init.sh:/docker-entrypoint-initdb.d/init.sh:ro", "./deploy/postgres/init.sql:" + sqlPath + ":ro")
                .noneMatch(volume -> volume.contains("init.sql:/docker-entrypoint-initdb.d"));
        assertThat(Files.isExecutable(REPO.resolve("deploy/postgres/init.sh"))).as("the entrypoint runs it, not sources it").isTrue();
        assertThat(COMPOSE.get("services").get("keycloak").get("volumes").toString()).contains("./deploy/keycloak/erp-realm.json");
    }

    /** The password a service is given is the one its role is made with: one variable, one default, passed to psql. */
    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "files-service", "checkin-service", "outbox-relay"})
    void the_database_password_of_a_service_is_the_one_its_role_gets(String service) {
        Matcher given = PLACEHOLDER.matcher(environment(service).get("ERP_DB_PASSWORD").asString());
        assertThat(given.matches()).as(service + " takes its password from the environment").isTrue();
        String variable = given.group(1);
        assertThat(environment("postgres").get(variable).asString()).isEqualTo("${" + variable + ":" + given.group(2) + "}");
        assertThat(RepositoryFiles.read(REPO.resolve("deploy/postgres/init.sh"))).contains("-v " + variable + "=\"${" + variable + ":?");
        String role = environment(service).get("ERP_DB_USER").asString();
        assertThat(RepositoryFiles.read(REPO.resolve("deploy/postgres/init.sql"))).containsPattern("CREATE ROLE " + role + "\\s+LOGIN[A-Z ]* PASSWORD :'" + variable + "'");
    }

    @Test
    void keycloak_runs_in_production_mode_on_its_own_database() {
        JsonNode keycloak = COMPOSE.get("services").get("keycloak");
        assertThat(keycloak.get("command").get(0).asString()).isEqualTo("start");
        assertThat(keycloak.get("command").toString()).contains("--hostname=http://localhost:8180").doesNotContain("start-dev");
        JsonNode env = keycloak.get("environment");
        assertThat(env.get("KC_DB").asString()).isEqualTo("postgres");
        assertThat(env.get("KC_DB_URL").asString()).isEqualTo("jdbc:postgresql://postgres:5432/keycloak");
        assertThat(env.get("KC_DB_PASSWORD").asString()).isEqualTo(environment("postgres").get("KEYCLOAK_DB_PASSWORD").asString());
        assertThat(RepositoryFiles.read(REPO.resolve("deploy/postgres/init.sh"))).contains("CREATE ROLE keycloak LOGIN PASSWORD :'KEYCLOAK_DB_PASSWORD'")
                .contains("CREATE DATABASE keycloak OWNER keycloak");
        assertThat(keycloak.get("depends_on").has("postgres")).isTrue();
    }

    @Test
    void kafka_and_keycloak_keep_their_data_in_named_volumes() {
        JsonNode kafka = COMPOSE.get("services").get("kafka");
        assertThat(kafka.get("volumes").valueStream().map(JsonNode::asString))
                .contains("kafka-data:" + kafka.get("environment").get("KAFKA_LOG_DIRS").asString());
        assertThat(kafka.get("environment").get("CLUSTER_ID").asString()).as("a fixed id: the volume's log outlives the container").isNotBlank();
        assertThat(COMPOSE.get("services").get("keycloak").get("volumes").toString()).contains("keycloak-data:/opt/keycloak/data");
        assertThat(COMPOSE.get("volumes").propertyNames()).contains("postgres-data", "kafka-data", "keycloak-data", "minio-data");
    }

    @Test
    void every_image_is_pinned_and_kafka_keycloak_postgres_are_the_devstacks_versions() {
        String pom = RepositoryFiles.read(REPO.resolve("pom.xml"));
        Map<String, String> images = new HashMap<>();
        COMPOSE.get("services").propertyNames().forEach(name -> images.put(name, COMPOSE.get("services").get(name).get("image").asString()));
        images.forEach((service, image) -> {
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(tag).as(service + " image " + image + " is pinned to a released version").matches("v?\\d+(\\.\\d+)+(-SNAPSHOT)?|RELEASE\\..+");
        });
        assertThat(images.get("kafka")).isEqualTo("apache/kafka:" + property(pom, "kafka.version"));
        assertThat(images.get("keycloak")).isEqualTo("quay.io/keycloak/keycloak:" + property(pom, "keycloak.version"));
        assertThat(property(pom, "postgres-binaries.version")).startsWith(images.get("postgres").replace("postgres:", "") + ".");
    }

    @Test
    void no_healthcheck_uses_bash_only_syntax_under_the_images_sh() {
        COMPOSE.get("services").propertyNames().forEach(name -> {
            JsonNode check = COMPOSE.get("services").get(name).get("healthcheck");
            if (check != null && check.get("test").get(0).asString().equals("CMD-SHELL")) {
                // CMD-SHELL is /bin/sh -c: dash in Debian-family images, which has no /dev/tcp (ComposeHealthchecksIT runs them)
                assertThat(check.get("test").get(1).asString()).as(name).doesNotContain("/dev/tcp").doesNotContain("[[");
            }
        });
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as(name + " in pom.xml").isTrue();
        return m.group(1);
    }

    @Test
    void prometheus_scrapes_all_five_services_on_their_management_ports() {
        String config = RepositoryFiles.read(REPO.resolve("deploy/prometheus/prometheus.yml"));
        MANAGEMENT_PORTS.forEach((service, port) -> assertThat(config).contains(service + ":" + port));
        PORTS.forEach((service, port) -> assertThat(config).doesNotContain(service + ":" + port));
        assertThat(config).contains("/actuator/prometheus");
    }


    private static JsonNode read(Path file) {
        return YAMLMapper.builder().build().readTree(RepositoryFiles.read(file));
    }
}
