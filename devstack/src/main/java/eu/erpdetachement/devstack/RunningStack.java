package eu.erpdetachement.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A started stack: where everything is, and how to stop (or crash) parts of it. */
public final class RunningStack implements AutoCloseable {

    private final DevstackConfig config;
    private final List<ChildProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, ChildProcess> services = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile PostgresServer postgres;
    private volatile Duration readyAfter;
    private volatile Thread shutdownHook;
    private volatile boolean closed;

    RunningStack(DevstackConfig config) {
        this.config = config;
    }

    /**
     * A stack that another process started ({@code devstack/run}) with {@code config}: where everything
     * is, for clients such as the run command's smoke test. It owns no process; closing it stops nothing.
     */
    public static RunningStack attachedTo(DevstackConfig config) {
        return new RunningStack(config);
    }

    void add(ChildProcess process) {
        processes.add(process);
    }

    void service(String name, ChildProcess process) {
        services.put(name, process);
    }

    void postgres(PostgresServer server) {
        this.postgres = server;
    }

    void readyAfter(Duration duration) {
        this.readyAfter = duration;
    }

    void shutdownHook(Thread hook) {
        this.shutdownHook = hook;
    }

    public DevstackConfig config() {
        return config;
    }

    public Duration readyAfter() {
        return readyAfter;
    }

    public String gatewayUrl() {
        return "http://localhost:" + config.gatewayPort();
    }

    public String serviceUrl(String service) {
        return "http://localhost:" + Devstack.servicePorts(config).get(service);
    }

    /** Where a service's actuator answers (health, metrics): its management port, not its API port. */
    public String managementUrl(String service) {
        return "http://localhost:" + Devstack.managementPorts(config).get(service);
    }

    public String keycloakUrl() {
        return "http://localhost:" + config.keycloakPort();
    }

    public String issuer() {
        return config.issuer();
    }

    public String kafkaBootstrap() {
        return "localhost:" + config.kafkaPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + config.postgresPort() + "/erp";
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + config.s3Port();
    }

    public String mailApiUrl() {
        return "http://127.0.0.1:" + config.mailApiPort();
    }

    /** A process of the stack by name (a service, or kafka, keycloak, s3proxy, greenmail). */
    public ChildProcess process(String name) {
        ChildProcess service = services.get(name);
        if (service != null) {
            return service;
        }
        synchronized (processes) {
            return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No process " + name));
        }
    }

    /** Starts a withheld service (DevstackConfig#withholding) and waits until it is ready. */
    public void startService(String name) {
        restartService(name);
    }

    /** Starts a service again (stopping it first if it still runs) and waits until it is ready. */
    public void restartService(String name) {
        ChildProcess process = process(name);
        process.close(); // a no-op when it was killed; never two instances behind one handle
        process.start();
        Readiness.await(name, Duration.ofMinutes(3), () -> Readiness.httpOk(Services.readinessUrl(
                Devstack.managementPorts(config).get(name))), process);
    }

    /**
     * Starts another instance of a service on {@code port} (actuator on {@code managementPort}) and waits
     * until it is ready; it stops with the stack.
     */
    public ChildProcess startExtraInstance(String service, int port, int managementPort, String name) throws java.io.IOException {
        return startExtraInstance(service, port, managementPort, name, java.util.Map.of());
    }

    /** The same, with {@code environment} added to (or overriding) the instance's usual variables. */
    public ChildProcess startExtraInstance(String service, int port, int managementPort, String name,
            java.util.Map<String, String> environment) throws java.io.IOException {
        ChildProcess process = Services.extraInstance(config, service, port, managementPort, name, environment).start();
        add(process);
        Readiness.await(name, Duration.ofMinutes(3), () -> Readiness.httpOk(Services.readinessUrl(managementPort)), process);
        return process;
    }

    /** Stops Keycloak (SIGTERM) and waits until it no longer answers; {@link #startKeycloak()} brings it back. */
    public void stopKeycloak() {
        process("keycloak").close();
        Readiness.await("Keycloak to stop", Duration.ofMinutes(1), () -> !Readiness.portOpen(config.keycloakPort()), null);
    }

    /** Starts Keycloak again (same data) and waits until it is ready. */
    public void startKeycloak() {
        ChildProcess keycloak = process("keycloak");
        keycloak.start();
        Readiness.await("Keycloak", Duration.ofMinutes(3), () -> Readiness.httpOk(KeycloakServer.readinessUrl(config)), keycloak);
    }

    /** Stops Kafka (SIGTERM), then starts it again and waits for its port. */
    public void restartKafka() {
        ChildProcess kafka = process("kafka");
        kafka.close();
        Readiness.await("Kafka to stop", Duration.ofMinutes(1), () -> !Readiness.portOpen(config.kafkaPort()), null);
        kafka.start();
        KafkaBroker.awaitReady(kafka, config.kafkaPort());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ChildProcess> reversed;
        synchronized (processes) {
            reversed = new ArrayList<>(processes);
        }
        Collections.reverse(reversed);
        // services first, then components; each waits for its process to end
        reversed.parallelStream().filter(p -> services.containsValue(p)).forEach(ChildProcess::close);
        reversed.stream().filter(p -> !services.containsValue(p)).forEach(ChildProcess::close);
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run
            }
        }
    }
}
