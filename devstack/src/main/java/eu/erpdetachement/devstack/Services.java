package eu.erpdetachement.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The five services, each from its runnable jar, with the environment of docs/configuration.md. */
final class Services {

    private Services() {
    }

    /** Name → process, in start order (the gateway last). */
    static Map<String, ChildProcess> prepare(DevstackConfig config) throws IOException {
        Map<String, Integer> ports = Devstack.servicePorts(config);
        Map<String, Integer> managementPorts = Devstack.managementPorts(config);
        Map<String, ChildProcess> services = new LinkedHashMap<>();
        for (var service : ports.entrySet()) {
            String variable = "ERP_" + service.getKey().replace("-service", "").replace("outbox-", "").toUpperCase();
            int managementPort = managementPorts.get(service.getKey());
            Readiness.requireFree(service.getValue(), variable + "_PORT");
            Readiness.requireFree(managementPort, variable + "_MANAGEMENT_PORT");
            Map<String, String> env = new HashMap<>(common(config));
            env.put("SERVER_PORT", Integer.toString(service.getValue()));
            env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
            env.putAll(own(config, service.getKey()));
            services.put(service.getKey(), new ChildProcess(service.getKey(), command(config, service.getKey()), env,
                    config.dataRoot(), config.logs().resolve(service.getKey() + ".log")));
        }
        return services;
    }

    /**
     * One more instance of a service on other ports (e.g. a standby outbox relay, a second gateway),
     * with {@code overrides} added to its environment.
     */
    static ChildProcess extraInstance(DevstackConfig config, String service, int port, int managementPort, String name,
            Map<String, String> overrides) throws IOException {
        Map<String, String> env = new HashMap<>(common(config));
        env.putAll(own(config, service));
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        env.putAll(overrides);
        return new ChildProcess(name, command(config, service), env, config.dataRoot(), config.logs().resolve(name + ".log"));
    }

    private static List<String> command(DevstackConfig config, String service) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Devstack.javaExecutable());
        command.addAll(config.serviceJvmOptions());
        command.add("-jar");
        command.add(jar(config.repository(), service).toString());
        return command;
    }

    /** On the service's management port: actuator is not served on its API port. */
    static String readinessUrl(int managementPort) {
        return "http://127.0.0.1:" + managementPort + "/actuator/health/readiness";
    }

    private static Map<String, String> common(DevstackConfig config) {
        Map<String, String> env = new HashMap<>();
        env.put("ERP_DB_HOST", "localhost");
        env.put("ERP_DB_PORT", Integer.toString(config.postgresPort()));
        env.put("ERP_DB_NAME", "erp");
        env.put("ERP_OIDC_ISSUER", config.issuer());
        env.put("ERP_OIDC_AUDIENCE", "erp-api");
        env.put("ERP_KAFKA_BOOTSTRAP_SERVERS", "localhost:" + config.kafkaPort());
        env.put("ERP_LOG_FORMAT", config.env().getOrDefault("ERP_LOG_FORMAT", "ecs"));
        return env;
    }

    private static Map<String, String> own(DevstackConfig config, String service) {
        Map<String, String> env = new HashMap<>();
        switch (service) {
            case "identity-service" -> {
                env.put("ERP_DB_USER", "identity_svc");
                env.put("ERP_DB_PASSWORD", "identity_svc");
                env.put("ERP_KEYCLOAK_URL", "http://localhost:" + config.keycloakPort());
                env.put("ERP_KEYCLOAK_REALM", "erp");
                env.put("ERP_IDENTITY_CLIENT_ID", "erp-identity");
                env.put("ERP_IDENTITY_CLIENT_SECRET", config.identityClientSecret());
                env.put("ERP_SMTP_HOST", "localhost");
                env.put("ERP_SMTP_PORT", Integer.toString(config.smtpPort()));
                env.put("ERP_PUBLIC_BASE_URL", "http://localhost:" + config.gatewayPort());
                // the internal personal-data routes of files and check-in (docs/data-protection.md)
                env.put("ERP_FILES_URL", "http://127.0.0.1:" + config.filesPort());
                env.put("ERP_CHECKIN_URL", "http://127.0.0.1:" + config.checkinPort());
                for (int i = 0; i < config.tenants().size(); i++) {
                    DevstackConfig.Tenant tenant = config.tenants().get(i);
                    env.put("ERP_BOOTSTRAP_TENANTS_" + i + "_SLUG", tenant.slug());
                    env.put("ERP_BOOTSTRAP_TENANTS_" + i + "_ID", tenant.id());
                    env.put("ERP_BOOTSTRAP_TENANTS_" + i + "_ADMINEMAIL", tenant.adminEmail());
                    env.put("ERP_BOOTSTRAP_TENANTS_" + i + "_ADMINPASSWORD", tenant.adminPassword());
                }
            }
            case "files-service" -> {
                env.put("ERP_DB_USER", "files_svc");
                env.put("ERP_DB_PASSWORD", "files_svc");
                env.put("ERP_S3_ENDPOINT", "http://127.0.0.1:" + config.s3Port());
                env.put("ERP_S3_REGION", "us-east-1");
                env.put("ERP_S3_ACCESS_KEY", config.s3AccessKey());
                env.put("ERP_S3_SECRET_KEY", config.s3SecretKey());
                env.put("ERP_S3_BUCKET", S3Server.BUCKET);
            }
            case "checkin-service" -> {
                env.put("ERP_DB_USER", "checkin_svc");
                env.put("ERP_DB_PASSWORD", "checkin_svc");
            }
            case "outbox-relay" -> {
                env.put("ERP_DB_USER", "relay_svc");
                env.put("ERP_DB_PASSWORD", "relay_svc");
            }
            case "gateway" -> {
                env.put("ERP_DB_USER", "gateway_svc");
                env.put("ERP_DB_PASSWORD", "gateway_svc");
                env.put("ERP_IDENTITY_URL", "http://127.0.0.1:" + config.identityPort());
                env.put("ERP_FILES_URL", "http://127.0.0.1:" + config.filesPort());
                env.put("ERP_CHECKIN_URL", "http://127.0.0.1:" + config.checkinPort());
            }
            default -> throw new IllegalArgumentException(service);
        }
        return env;
    }

    private static Path jar(Path repository, String module) throws IOException {
        try (var files = Files.list(repository.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No runnable jar in " + module
                            + "/target: build first (./mvnw -q package -DskipTests)"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException(module + " is not built: run ./mvnw -q package -DskipTests", e);
        }
    }
}
