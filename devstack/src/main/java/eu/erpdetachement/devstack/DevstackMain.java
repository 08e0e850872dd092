package eu.erpdetachement.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code up} (default), {@code components}, {@code reset}. */
public final class DevstackMain {

    private DevstackMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        switch (command) {
            case "up" -> up(true);
            case "components" -> up(false);
            case "reset" -> reset();
            default -> {
                System.err.println("Usage: devstack/run [up|components|reset]");
                System.exit(2);
            }
        }
    }

    private static void up(boolean services) throws Exception {
        DevstackConfig config = DevstackConfig.fromEnvironment(services);
        System.out.println("Starting the ERP Détachement devstack (data in " + config.dataRoot() + ", logs in "
                + config.logs() + ") ...");
        RunningStack stack = Devstack.start(config);
        System.out.println(banner(stack, services));
        new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM: the shutdown hook stops everything
    }

    static String banner(RunningStack stack, boolean services) {
        DevstackConfig c = stack.config();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nERP Détachement devstack ready in %d s%n", stack.readyAfter().toSeconds()));
        if (services) {
            out.append(String.format("  %-18s %s   (management: %s; OpenAPI: /openapi.yaml, Swagger UI: /swagger-ui.html)%n",
                    "gateway", stack.gatewayUrl(), stack.managementUrl("gateway")));
            for (String s : new String[] {"identity-service", "files-service", "checkin-service", "outbox-relay"}) {
                out.append(String.format("  %-18s %s   (management: %s)%n", s, stack.serviceUrl(s), stack.managementUrl(s)));
            }
            out.append(String.format("  %-18s /actuator/health/readiness, /actuator/prometheus (not on the API ports)%n",
                    "management ports"));
        }
        out.append(String.format("  %-18s %s   (postgres / postgres; services use their own roles)%n", "PostgreSQL", stack.jdbcUrl()));
        out.append(String.format("  %-18s %s%n", "Kafka", stack.kafkaBootstrap()));
        out.append(String.format("  %-18s %s   (admin console: %s / %s, realm erp)%n", "Keycloak", stack.keycloakUrl(),
                c.keycloakAdmin(), c.keycloakAdminPassword()));
        out.append(String.format("  %-18s %s   (%s / %s, bucket %s)%n", "S3", stack.s3Endpoint(), c.s3AccessKey(),
                c.s3SecretKey(), S3Server.BUCKET));
        out.append(String.format("  %-18s localhost:%d / %s/api/user/<email>/messages/INBOX%n", "SMTP / inbox", c.smtpPort(),
                stack.mailApiUrl()));
        for (DevstackConfig.Tenant t : c.tenants()) {
            out.append(String.format("  %-18s %s   %s / %s%n", "tenant " + t.slug(), t.id(), t.adminEmail(), t.adminPassword()));
        }
        out.append("Ctrl-C stops everything.");
        return out.toString();
    }

    private static void reset() throws IOException {
        DevstackConfig config = DevstackConfig.fromEnvironment(false);
        if (Readiness.portOpen(config.postgresPort()) || Readiness.portOpen(config.keycloakPort())) {
            System.err.println("The devstack seems to be running (ports " + config.postgresPort() + "/" + config.keycloakPort()
                    + " answer): stop it first.");
            System.exit(1);
        }
        Path root = config.dataRoot();
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("Removed " + root);
    }
}
