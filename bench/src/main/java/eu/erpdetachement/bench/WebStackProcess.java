package eu.erpdetachement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import eu.erpdetachement.devstack.RunningStack;

/**
 * One app of bench/web-stacks (section 9) in a JVM of its own, with the JVM options the stack gives
 * its services, on the stack's PostgreSQL: started, waited for (it writes its token once it serves),
 * measured (its process CPU time) and stopped.
 */
final class WebStackProcess implements AutoCloseable {

    private static final Path MODULE = Path.of("bench", "web-stacks", "target");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final String stack;
    private final Process process;
    private final String url;
    private final String token;

    private WebStackProcess(String stack, Process process, String url, String token) {
        this.stack = stack;
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /** {@code webStack}: "reactive" (WebFlux, R2DBC) or "servlet" (Spring MVC on virtual threads, JDBC). */
    static WebStackProcess start(RunningStack stack, String webStack, int port) throws IOException, InterruptedException {
        return start(stack, webStack, port, tokenFile -> List.of("eu.erpdetachement.bench.web.WebStackApp", webStack,
                "--server.port=" + port, "--bench.web.db-port=" + stack.config().postgresPort(), "--bench.web.token-file=" + tokenFile));
    }

    /** The bare Reactor Netty proxy (section 10) on {@code port}, forwarding to {@code upstream}; its token is "ready". */
    static WebStackProcess bareProxy(RunningStack stack, int port, String upstream) throws IOException, InterruptedException {
        return start(stack, "bare-proxy", port, readyFile -> List.of("eu.erpdetachement.bench.web.BareProxy",
                String.valueOf(port), upstream, readyFile.toString()));
    }

    /**
     * The prototype of a gateway edge on Reactor Netty (section 10, decision 0046) on {@code port}, forwarding to
     * {@code upstream} the requests whose tokens {@code issuer} signed; its token is "ready".
     */
    static WebStackProcess edgeProxy(RunningStack stack, int port, String upstream, String issuer)
            throws IOException, InterruptedException {
        return start(stack, "edge-proxy", port, readyFile -> List.of("eu.erpdetachement.bench.web.EdgeProxy",
                String.valueOf(port), upstream, issuer, readyFile.toString()));
    }

    private static WebStackProcess start(RunningStack stack, String webStack, int port,
            java.util.function.Function<Path, List<String>> mainAndArguments) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(MODULE.resolve("run").toAbsolutePath());
        Path tokenFile = dir.resolve(webStack + ".token");
        Path log = dir.resolve(webStack + ".log");
        Files.deleteIfExists(tokenFile);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(stack.config().serviceJvmOptions());
        command.addAll(List.of("-cp", MODULE.resolve("bench-web-stacks-1.2.0-SNAPSHOT.jar") + ":" + MODULE.resolve("lib") + "/*"));
        command.addAll(mainAndArguments.apply(tokenFile));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a Ctrl-C of the bench must not leave the app holding its port and its database connections
        Thread stopOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!Files.exists(tokenFile)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("The " + webStack + " app did not start within " + START_TIMEOUT.toSeconds()
                            + " s; its log: " + log);
                }
                Thread.sleep(100); // polling the condition (the token file), not waiting for time to pass
            }
            return new WebStackProcess(webStack, process, "http://localhost:" + port, Files.readString(tokenFile).trim());
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    String stack() {
        return stack;
    }

    String url() {
        return url;
    }

    String token() {
        return token;
    }

    /** The JVM's CPU time so far, all threads. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("No CPU time for the " + stack + " app"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
