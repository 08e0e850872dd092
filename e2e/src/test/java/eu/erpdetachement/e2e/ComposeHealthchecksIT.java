package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import eu.erpdetachement.devstack.DevstackConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every healthcheck of docker-compose.yml, run as Docker would run it in its container, but here:
 * with dash (the /bin/sh of the services' Debian-family images; CMD-SHELL means {@code /bin/sh -c})
 * against the running embedded stack, whose ports replace compose's. A probe that dash cannot run,
 * or that does not reach its server, fails here (decision 0022). Kafka's probe is the image's
 * script, played by the class it runs (kafka-tools, the devstack's Kafka version).
 */
@ExtendWith(EmbeddedStack.class)
class ComposeHealthchecksIT {

    private static final Path REPO = RepositoryFiles.root();
    private static final JsonNode SERVICES = YAMLMapper.builder().build()
            .readTree(RepositoryFiles.read(REPO.resolve("docker-compose.yml"))).get("services");
    /** Probes that need what the embedded stack does not have: the service, and why. */
    private static final Map<String, String> NOT_RUN_HERE = Map.of(
            "minio", "MinIO's own `mc ready`: the embedded stack serves S3 with S3Proxy (decision 0003)");
    private static final Pattern PORT = Pattern.compile("(?<![0-9])(5432|9092|9180|908[0-4])(?![0-9])");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");

    @TempDir
    static Path tools;

    @TestFactory
    Stream<DynamicTest> every_healthcheck_passes_under_dash_against_the_running_stack() throws IOException {
        Map<String, Path> imageTools = imageTools();
        DevstackConfig config = EmbeddedStack.stack().config();
        IntUnaryOperator stackPort = composePort -> stackPort(config, composePort);
        return healthchecked().stream()
                .filter(service -> !NOT_RUN_HERE.containsKey(service))
                .map(service -> DynamicTest.dynamicTest(service, () -> {
                    Result result = run(service, stackPort, imageTools);
                    assertThat(result.exit()).as(service + ": " + result.command() + "\n" + result.output()).isZero();
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_healthcheck_fails_when_nothing_answers() throws IOException {
        Map<String, Path> imageTools = imageTools();
        int closed = closedPort();
        return healthchecked().stream()
                // Kafka's admin client retries a closed port for a long time: its probe is held by the test above
                .filter(service -> !NOT_RUN_HERE.containsKey(service) && !service.equals("kafka"))
                .map(service -> DynamicTest.dynamicTest(service, () -> {
                    Result result = run(service, port -> closed, imageTools);
                    assertThat(result.exit()).as(service + " must fail with nothing on its port: " + result.command()
                            + "\n" + result.output()).isNotZero();
                }));
    }

    /** The probe these replaced: bash's /dev/tcp, which dash (the images' /bin/sh) rejects. */
    @Test
    void the_former_dev_tcp_probe_cannot_run_under_dash() throws Exception {
        int port = stackPort(EmbeddedStack.stack().config(), 9081);
        Result result = dash("exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3", Map.of());
        assertThat(result.exit()).as(result.output()).isNotZero();
    }

    @Test
    void only_the_listed_probes_are_not_run_here() {
        assertThat(healthchecked()).containsAll(NOT_RUN_HERE.keySet());
        assertThat(healthchecked()).contains("postgres", "kafka", "keycloak", "gateway", "identity-service",
                "files-service", "checkin-service", "outbox-relay");
    }

    private record Result(String command, int exit, String output) {
    }

    private static List<String> healthchecked() {
        List<String> services = new ArrayList<>();
        SERVICES.propertyNames().forEach(name -> {
            if (SERVICES.get(name).has("healthcheck")) {
                services.add(name);
            }
        });
        return services;
    }

    /** The healthcheck of one compose service, as Docker runs it, with compose's ports mapped by {@code ports}. */
    private static Result run(String service, IntUnaryOperator ports, Map<String, Path> imageTools) throws Exception {
        JsonNode definition = SERVICES.get(service);
        List<String> test = new ArrayList<>();
        definition.get("healthcheck").get("test").valueStream().forEach(part -> test.add(interpolate(part.asString())));
        String command = switch (test.getFirst()) {
            case "CMD-SHELL" -> test.get(1);
            case "CMD" -> String.join(" ", test.subList(1, test.size()).stream().map(ComposeHealthchecksIT::quote).toList());
            default -> throw new AssertionError(service + ": healthcheck test must be CMD or CMD-SHELL: " + test);
        };
        for (var tool : imageTools.entrySet()) {
            command = command.replace(tool.getKey(), tool.getValue().toString());
        }
        command = shift(command, ports);
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = definition.get("environment");
        if (environment != null) {
            for (String name : environment.propertyNames()) {
                env.put(name, shift(interpolate(environment.get(name).asString()), ports));
            }
        }
        return dash(command, env);
    }

    /** {@code dash -c command} in the container's environment (PATH aside), as Docker's CMD-SHELL does with /bin/sh. */
    private static Result dash(String command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("dash", "-c", command).redirectErrorStream(true);
        String path = System.getenv("PATH");
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("dash is needed for this test (Debian: apt-get install dash)", e);
        }
        process.getOutputStream().close();
        // a bound on a hung probe, not a timing assertion: Docker's own timeout is 30 s
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes());
        return new Result(command, ended ? process.exitValue() : -1, output);
    }

    /** Compose's interpolation: $$ is a literal $, ${NAME:-default} the default (no such variable is set here). */
    private static String interpolate(String value) {
        String defaults = DEFAULTED.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
        return defaults.replace("$$", "$");
    }

    private static String shift(String text, IntUnaryOperator ports) {
        return PORT.matcher(text).replaceAll(m -> Integer.toString(ports.applyAsInt(Integer.parseInt(m.group(1)))));
    }

    private static int stackPort(DevstackConfig config, int composePort) {
        return switch (composePort) {
            case 5432 -> config.postgresPort();
            case 9092 -> config.kafkaPort();
            case 9180 -> config.keycloakManagementPort();
            case 9080 -> config.gatewayManagementPort();
            case 9081 -> config.identityManagementPort();
            case 9082 -> config.filesManagementPort();
            case 9083 -> config.checkinManagementPort();
            case 9084 -> config.relayManagementPort();
            default -> throw new AssertionError("No stack port for compose port " + composePort);
        };
    }

    /** Programs at image paths, played here: Kafka's script runs this class in the image (Kafka 4). */
    private static Map<String, Path> imageTools() throws IOException {
        Path script = tools.resolve("kafka-broker-api-versions.sh");
        if (!Files.exists(script)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -Xmx128m -cp '" + System.getProperty("java.class.path")
                    + "' org.apache.kafka.tools.BrokerApiVersionsCommand \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return Map.of("/opt/kafka/bin/kafka-broker-api-versions.sh", script);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // free once closed, and nothing of the stack's listens there
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
