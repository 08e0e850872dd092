package eu.erpdetachement.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the embedded stack: real PostgreSQL, Kafka, Keycloak, S3 and SMTP, then the five
 * services, waiting for each to be ready. Components start in parallel where they do not depend
 * on each other. Everything stops on {@link RunningStack#close()} or when the JVM exits.
 */
public final class Devstack {


    private Devstack() {
    }

    public static RunningStack start(DevstackConfig config) throws Exception {
        long started = System.nanoTime();
        // how long each component and service may take to be ready (a loaded machine needs more)
        Duration componentTimeout = Duration.parse(config.env().getOrDefault("ERP_DEVSTACK_START_TIMEOUT", "PT3M"));
        Duration serviceTimeout = componentTimeout;
        RunningStack stack = new RunningStack(config);
        Thread hook = new Thread(stack::close, "devstack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stack.shutdownHook(hook);
        try {
            // Keycloak's first start is the long pole: launch it first, then the rest beside it.
            // A component named in ERP_DEVSTACK_EXTERNAL runs elsewhere (containers): only awaited on its port.
            ChildProcess keycloak = config.external("keycloak") ? null : KeycloakServer.prepare(config).start();
            ChildProcess mail = config.external("mail") ? null : MailServer.prepare(config).start();
            ChildProcess s3 = config.external("s3") ? null : S3Server.prepare(config).start();
            ChildProcess kafka = null;
            for (ChildProcess process : new ChildProcess[] {keycloak, mail, s3}) {
                if (process != null) {
                    stack.add(process);
                }
            }
            if (!config.external("postgres")) {
                stack.postgres(PostgresServer.start(config));
            } else {
                Readiness.await("PostgreSQL", componentTimeout, () -> Readiness.portOpen(config.postgresPort()), null);
            }
            if (!config.external("kafka")) {
                kafka = KafkaBroker.prepare(config).start();
                stack.add(kafka);
            }

            KafkaBroker.awaitReady(kafka, config.kafkaPort());
            Readiness.await("S3", componentTimeout, () -> Readiness.portOpen(config.s3Port()), s3);
            Readiness.await("GreenMail", componentTimeout, () -> Readiness.httpOk(MailServer.readinessUrl(config)), mail);

            // The services start while Keycloak is still starting: none needs it to boot (signing keys
            // are fetched on first use, and the identity service's tenant bootstrap retries until
            // Keycloak answers), so its start-up overlaps theirs.
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            var waiters = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            ready.add(CompletableFuture.runAsync(() -> Readiness.await("Keycloak", componentTimeout,
                    () -> Readiness.httpOk(KeycloakServer.readinessUrl(config)), keycloak), waiters));
            if (config.startServices()) {
                Map<String, ChildProcess> services = Services.prepare(config);
                Map<String, Integer> ports = managementPorts(config);
                for (var service : services.entrySet()) {
                    if (config.withheldServices().contains(service.getKey())) {
                        stack.add(service.getValue());
                        stack.service(service.getKey(), service.getValue());
                        continue;
                    }
                    ChildProcess process = service.getValue().start();
                    stack.add(process);
                    stack.service(service.getKey(), process);
                    int port = ports.get(service.getKey());
                    ready.add(CompletableFuture.runAsync(() -> Readiness.await(service.getKey(), serviceTimeout,
                            () -> Readiness.httpOk(Services.readinessUrl(port)), process), waiters));
                }
            }
            try {
                CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            } finally {
                waiters.shutdownNow();
            }
            stack.readyAfter(Duration.ofNanos(System.nanoTime() - started));
            return stack;
        } catch (java.util.concurrent.CompletionException e) {
            stack.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    static Map<String, Integer> servicePorts(DevstackConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("identity-service", config.identityPort());
        ports.put("files-service", config.filesPort());
        ports.put("checkin-service", config.checkinPort());
        ports.put("outbox-relay", config.relayPort());
        ports.put("gateway", config.gatewayPort());
        return ports;
    }

    /** Each service's management port (actuator: health, metrics), by service name. */
    static Map<String, Integer> managementPorts(DevstackConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("identity-service", config.identityManagementPort());
        ports.put("files-service", config.filesManagementPort());
        ports.put("checkin-service", config.checkinManagementPort());
        ports.put("outbox-relay", config.relayManagementPort());
        ports.put("gateway", config.gatewayManagementPort());
        return ports;
    }

    /** This JVM's classpath with absolute entries, for children that run in other directories. */
    static String classpath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The java of the running JVM: children run on the same JDK (≥ 21). */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
