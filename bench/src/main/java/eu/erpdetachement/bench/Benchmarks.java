package eu.erpdetachement.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import eu.erpdetachement.devstack.Devstack;
import eu.erpdetachement.devstack.DevstackConfig;
import eu.erpdetachement.devstack.RunningStack;

/**
 * The check-in write path and the outbox relay, each beside a baseline run in the same run on the
 * same machine: the service beside pgbench running its SQL transaction, the gateway beside the
 * service called directly, the relay beside Kafka's own producer perf tool. Results go to
 * bench/results/ and are summarised in docs/performance.md.
 */
public final class Benchmarks {

    // below Linux's ephemeral range (32768+): a client socket must never take a service's port
    private static final int PORT_OFFSET = Integer.getInteger("bench.portOffset", 10000);
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));
    /** {@code -Dbench.clients=8} (BENCH_CLIENTS) runs the check-in rows at these concurrencies only. */
    private static final int[] CONCURRENCY = java.util.Arrays.stream(System.getProperty("bench.clients", "1,8,32").split(","))
            .mapToInt(c -> Integer.parseInt(c.trim())).toArray();
    private static final Duration IDLE = Duration.ofSeconds(10);
    /** {@code -Dbench.warmUp=60} (BENCH_WARMUP): seconds of load through the gateway before the first measured row. */
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmUp", 60));
    /** After the warm-up, windows of load until the CPU per request settles (JIT), for at most SETTLE_MAX. */
    private static final Duration SETTLE_WINDOW = Duration.ofSeconds(15);
    private static final Duration SETTLE_MAX = Duration.ofMinutes(Integer.getInteger("bench.settleMinutes", 5));
    /**
     * How close two windows must be: at 10 % a path still being compiled passed for settled when its
     * cost fell slowly (GET /v1/me: 14.27, then 12.87 ms per read).
     */
    private static final double SETTLED = 0.05;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern COMMITTED_AT = Pattern.compile("\"committed_at_millis\":\\s*([0-9]+)");

    private Benchmarks() {
    }

    private interface Section {
        String run(RunningStack stack) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of("bench", "results");
        Files.createDirectories(results);
        try (RunningStack stack = Devstack.start(DevstackConfig.forTests(Path.of("bench", "target", "stack").toAbsolutePath(),
                PORT_OFFSET))) {
            StringBuilder report = new StringBuilder("# Benchmark run " + LocalDateTime.now().withNano(0) + "\n\n"
                    + "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, JDK " + Runtime.version() + "\n\n");
            Path file = results.resolve("latest.md");
            List<Section> sections = List.of(Benchmarks::checkInThroughput, Benchmarks::relayBacklog,
                    Benchmarks::commitToKafkaLatency, Benchmarks::uploads, Benchmarks::identity, Benchmarks::checkInScaleOut,
                    Benchmarks::checkInSteadyState, Benchmarks::checkInSqlByClient, Benchmarks::webStacks,
                    Benchmarks::gatewayDataPlane);
            for (Section section : only(sections)) {
                String result = section.run(stack);
                System.out.println(result);
                report.append(result);
                Files.writeString(file, report.toString()); // kept even if a later section fails
            }
            System.out.println("Written to " + file);
        }
    }

    /** {@code -Dbench.only=1,4} runs the first and fourth sections alone (while working on them). */
    private static List<Section> only(List<Section> sections) {
        String only = System.getProperty("bench.only", "");
        return only.isBlank() ? sections : java.util.Arrays.stream(only.split(","))
                .map(n -> sections.get(Integer.parseInt(n.trim()) - 1)).toList();
    }

    // --- 1. check-in POST: gateway vs direct vs pgbench ---------------------------------------

    private static String checkInThroughput(RunningStack stack) throws Exception {
        AtomicReference<String> token = new AtomicReference<>(signIn(stack));
        Thread refresher = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(Duration.ofMinutes(3)); // tokens live 5 minutes
                    token.set(signIn(stack));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception ignored) {
                    // keep the old token; the next attempt may succeed
                }
            }
        });
        UUID worker = knownWorker(stack, token.get());
        // warm up both paths (connection pools, and the JIT: C2 was still compiling after a minute of load)
        HttpLoad.checkIns("warm-up", stack.gatewayUrl(), token::get, worker, 8, WARM_UP);
        HttpLoad.checkIns("warm-up", stack.serviceUrl("checkin-service"), token::get, worker, 8, WARM_UP.dividedBy(3));
        String warmUp = untilCpuPerRequestSettles(stack, token::get, worker);

        StringBuilder out = new StringBuilder("## Check-in POST throughput (" + RUN.toSeconds() + " s per row)\n\n"
                + warmUp
                + "| concurrency | gateway req/s | gateway p50 / p99 ms | direct req/s | direct p50 / p99 ms | pgbench TPS"
                + " | gateway / direct | service / pgbench | errors |\n|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder cpu = new StringBuilder("CPU ms per request (process CPU time over the row / requests sent):\n\n"
                + "| concurrency | path | gateway | check-in service | outbox relay | PostgreSQL | total |\n"
                + "|---|---|---|---|---|---|---|\n");
        Path script = pgbenchScript();
        String[] involved = {"gateway", "checkin-service", "outbox-relay", CpuMeter.POSTGRES};
        // what each process spends with no request at all (pollers, schedulers, JIT, GC): the floor
        // that a row's CPU per request divides among fewer requests at low throughput
        CpuMeter idle = CpuMeter.start(stack, involved);
        Thread.sleep(IDLE.toMillis());
        cpu.append(cpuRow(0, "idle (CPU ms per second)", idle.perRequest(IDLE.toSeconds())));
        for (int c : CONCURRENCY) {
            CpuMeter meter = CpuMeter.start(stack, involved);
            HttpLoad.Result gateway = HttpLoad.checkIns("gateway", stack.gatewayUrl(), token::get, worker, c, RUN);
            cpu.append(cpuRow(c, "gateway", meter.perRequest(gateway.requests())));
            meter = CpuMeter.start(stack, involved);
            HttpLoad.Result direct = HttpLoad.checkIns("direct", stack.serviceUrl("checkin-service"), token::get, worker, c, RUN);
            cpu.append(cpuRow(c, "direct", meter.perRequest(direct.requests())));
            meter = CpuMeter.start(stack, involved);
            Pgbench pgbench = pgbench(stack, script, c);
            awaitOutboxDrained(stack);
            cpu.append(cpuRow(c, "pgbench", meter.perRequest(pgbench.transactions())));
            out.append(String.format("| %d | %.0f | %.1f / %.1f | %.0f | %.1f / %.1f | %.0f | %.2f | %.2f | %d |%n", c,
                    gateway.requestsPerSecond(), gateway.p50Ms(), gateway.p99Ms(), direct.requestsPerSecond(),
                    direct.p50Ms(), direct.p99Ms(), pgbench.tps(), gateway.requestsPerSecond() / direct.requestsPerSecond(),
                    direct.requestsPerSecond() / pgbench.tps(), gateway.errors() + direct.errors()));
        }
        refresher.interrupt();
        return out.append("\n").append(cpu).append("\n").toString();
    }

    /**
     * Goes on loading the gateway path in windows of {@link #SETTLE_WINDOW} until two windows in a
     * row cost the gateway and the check-in service the same CPU per request (within {@link #SETTLED}), for
     * {@link #SETTLE_MAX} at most: on 2 shared cores the JIT still compiled the hot paths minutes into
     * the load, and a row measured before that measured the compiler. Returns the windows' figures.
     */
    private static String untilCpuPerRequestSettles(RunningStack stack, java.util.function.Supplier<String> token, UUID worker)
            throws Exception {
        return untilCpuPerRequestSettles(stack, "check-in", () -> HttpLoad.checkIns("warm-up", stack.gatewayUrl(), token,
                worker, 8, SETTLE_WINDOW), "gateway", "checkin-service");
    }

    /**
     * Runs {@code window} (a {@link #SETTLE_WINDOW} of load) again and again until two windows in a
     * row cost {@code processes} the same CPU per request within {@link #SETTLED}, for {@link #SETTLE_MAX} at
     * most; the figures of every window are returned for the report.
     */
    private static String untilCpuPerRequestSettles(RunningStack stack, String what, java.util.concurrent.Callable<HttpLoad.Result> window,
            String... processes) throws Exception {
        StringBuilder windows = new StringBuilder();
        double previous = Double.NaN;
        Instant end = Instant.now().plus(SETTLE_MAX);
        String summed = String.join(" + ", processes);
        while (Instant.now().isBefore(end)) {
            CpuMeter meter = CpuMeter.start(stack, processes);
            HttpLoad.Result load = window.call();
            double cpu = sum(meter.perRequest(load.requests()));
            windows.append(windows.isEmpty() ? "" : ", ").append(CpuMeter.format(cpu));
            if (Math.abs(cpu - previous) <= SETTLED * previous) {
                return "Warmed up until the CPU per request settled: " + summed + ", CPU ms per " + what + " in "
                        + "successive " + SETTLE_WINDOW.toSeconds() + " s windows: " + windows + ".\n\n";
            }
            previous = cpu;
        }
        return "The CPU per request had not settled after " + SETTLE_MAX.toMinutes() + " minutes of warm-up (" + summed
                + ", CPU ms per " + what + " in successive " + SETTLE_WINDOW.toSeconds() + " s windows: " + windows
                + "): the rows below include JIT compilation.\n\n";
    }

    /** One row of CPU ms per request: each process, then their sum. */
    private static String cpuRow(int clients, String path, java.util.Map<String, Double> perRequest) {
        StringBuilder row = new StringBuilder("| " + clients + " | " + path + " |");
        perRequest.values().forEach(ms -> row.append(' ').append(CpuMeter.format(ms)).append(" |"));
        return row.append(' ').append(CpuMeter.format(sum(perRequest))).append(" |\n").toString();
    }

    /**
     * What the service runs for one check-in, as SQL: the caller's state (revocation), then the
     * transaction: lock the chain and read its head (and whether it was corrected) in one call, then
     * the event with its outbox row and its audit record's outbox row in one statement (decision
     * 0039). The tenant's settings come from memory (decision 0033).
     */
    private static Path pgbenchScript() throws IOException {
        Path script = Files.createTempFile("checkin", ".sql");
        Files.writeString(script, """
                \\set n random(1, 1000000000000)
                SELECT a.tenant_id, a.role_type, a.is_active, a.worker_id, s.sessions_valid_after,
                    EXISTS (SELECT 1 FROM checkin.ended_sessions e WHERE e.session_id = md5('s' || :n)) AS session_ended
                  FROM (SELECT 1) AS one LEFT JOIN checkin.caller_states a ON a.user_id = md5('u' || :n)::uuid
                  LEFT JOIN checkin.caller_states s ON s.user_id = md5('u' || :n)::uuid;
                BEGIN;
                SELECT * FROM checkin.locked_chain_head('11111111-1111-4111-8111-111111111111', md5('m' || :n)::uuid,
                  md5('w' || :n)::uuid);
                WITH change AS (INSERT INTO checkin.worker_check_events (check_event_id, tenant_id, mission_id, worker_id,
                  event_type, occurred_at, recorded_at, source, metadata, recorded_by, sequence_no, previous_hash, hash)
                  VALUES (gen_random_uuid(), '11111111-1111-4111-8111-111111111111', md5('m' || :n)::uuid, md5('w' || :n)::uuid,
                  'check_in', now(), now(), 'api', '{"bench": true}', gen_random_uuid(), 1, NULL, md5(:n::text) || md5(:n::text)))
                INSERT INTO checkin.outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at)
                  VALUES (gen_random_uuid(), 'checkin.bench-pgbench', md5('m' || :n), 'WorkerCheckEventRecorded',
                  '11111111-1111-4111-8111-111111111111', '{"bench": true}', now()),
                  (gen_random_uuid(), 'checkin.bench-pgbench', md5('a' || :n), 'AuditRecorded',
                  '11111111-1111-4111-8111-111111111111', '{"bench": true, "action": "check_event.recorded"}', now());
                COMMIT;
                """);
        return script;
    }

    private record Pgbench(double tps, long transactions) {
    }

    /**
     * Waits until the relay has published (and deleted) every outbox row of the rows so far: pgbench
     * writes rows ten times faster than the service, and their draining would otherwise load the
     * next row's measurement.
     */
    private static void awaitOutboxDrained(RunningStack stack) throws Exception {
        Instant deadline = Instant.now().plusSeconds(300);
        try (Connection c = superuser(stack); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rows = s.executeQuery("SELECT count(*) FROM checkin.outbox")) {
                    rows.next();
                    if (rows.getLong(1) == 0) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("The relay did not drain checkin.outbox within 5 minutes");
                }
                Thread.sleep(200); // polling the condition, not waiting for time to pass
            }
        }
    }

    private static Pgbench pgbench(RunningStack stack, Path script, int clients) throws Exception {
        String pgbench = System.getProperty("bench.pgbench", "pgbench");
        Process process = new ProcessBuilder(pgbench, "-h", "localhost", "-p", Integer.toString(stack.config().postgresPort()),
                "-U", "checkin_svc", "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(RUN.toSeconds()), "-f", script.toString(), "erp")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(RUN.toSeconds() + 60, TimeUnit.SECONDS);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        Matcher transactions = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
        if (!tps.find() || !transactions.find()) {
            throw new IllegalStateException("pgbench said:\n" + output);
        }
        return new Pgbench(Double.parseDouble(tps.group(1)), Long.parseLong(transactions.group(1)));
    }

    // --- 8. a check-in's SQL through the two JVM client stacks, beside pgbench ------------------

    /**
     * What the database client stack costs a check-in, apart from HTTP, JSON and security: the SQL of
     * one check-in (section 1's pgbench script) sent by 8 clients through the services' reactive stack
     * and through JDBC on virtual threads, in the bench's own JVM, beside pgbench. Each stack is warmed
     * first; then three rounds, the three clients in turn, the outbox drained between rows.
     */
    private static String checkInSqlByClient(RunningStack stack) throws Exception {
        int clients = 8;
        Path script = pgbenchScript();
        StringBuilder out = new StringBuilder("## A check-in's SQL through two JVM client stacks, beside pgbench (" + clients
                + " clients, " + RUN.toSeconds() + " s per row, three rounds)\n\n"
                + "| round | client | transactions/s | / pgbench | CPU ms per transaction: client JVM | PostgreSQL |\n"
                + "|---|---|---|---|---|---|\n");
        try (DriverCost.Client reactive = DriverCost.reactive(stack, clients);
                DriverCost.Client blocking = DriverCost.blocking(stack, clients)) {
            for (DriverCost.Client client : List.of(reactive, blocking, reactive, blocking)) {
                client.run(clients, Duration.ofSeconds(30)); // JIT: the bench JVM's first transactions of each stack
                awaitOutboxDrained(stack);
            }
            for (int round = 1; round <= 3; round++) {
                CpuMeter postgres = CpuMeter.start(stack, CpuMeter.POSTGRES);
                Pgbench baseline = pgbench(stack, script, clients);
                double baselineDb = postgres.perRequest(baseline.transactions()).get(CpuMeter.POSTGRES);
                awaitOutboxDrained(stack);
                out.append(String.format("| %d | pgbench (libpq, C) | %.0f | 1.00 | – | %s |%n", round, baseline.tps(),
                        CpuMeter.format(baselineDb)));
                for (DriverCost.Client client : List.of(reactive, blocking)) {
                    DriverCost.Row row = DriverCost.measure(stack, client, clients, RUN);
                    awaitOutboxDrained(stack);
                    out.append(String.format("| %d | %s | %.0f | %.2f | %s | %s |%n", round, row.client(), row.perSecond(),
                            row.perSecond() / baseline.tps(), CpuMeter.format(row.jvmCpuMs()), CpuMeter.format(row.postgresCpuMs())));
                }
            }
        }
        return out.append('\n').toString();
    }

    // --- 7. check-in at steady state, loaded by wrk -----------------------------------------------

    /**
     * What a check-in costs once the JVMs are warm, with a load generator that costs little itself:
     * wrk (C, one thread, 8 connections) posts check-ins on new missions, through the gateway and
     * straight to the service, after {@link #STEADY_WARM_UP} of the same load; each process's CPU over
     * the measured run is divided by the requests wrk counted. The rows of section 1 are measured
     * by a JVM client beside the stack, on the same 2 cores, much sooner after the start.
     */
    private static String checkInSteadyState(RunningStack stack) throws Exception {
        String wrk = System.getProperty("bench.wrk", "wrk");
        String token = signIn(stack);
        UUID worker = knownWorker(stack, token);
        Path script = wrkCheckInScript(token, worker, CHECK_IN_ROUTE);
        String[] involved = {"gateway", "checkin-service", "outbox-relay", CpuMeter.POSTGRES};
        wrk(wrk, script, stack.gatewayUrl(), STEADY_WARM_UP);
        wrk(wrk, script, stack.serviceUrl("checkin-service"), STEADY_WARM_UP.dividedBy(2));
        StringBuilder out = new StringBuilder("## Check-in POST at steady state (wrk, 8 connections, " + STEADY_RUN.toSeconds()
                + " s per row after " + STEADY_WARM_UP.toSeconds() + " s of warm-up)\n\n"
                + "| path | req/s | p50 / p99 ms | non-2xx | CPU ms per check-in: gateway / check-in service / relay / PostgreSQL |\n"
                + "|---|---|---|---|---|\n");
        double[] rates = new double[2];
        String[][] paths = {{"direct", stack.serviceUrl("checkin-service")}, {"gateway", stack.gatewayUrl()}};
        for (int i = 0; i < paths.length; i++) {
            token = signIn(stack); // tokens live 5 minutes
            script = wrkCheckInScript(token, worker, CHECK_IN_ROUTE);
            CpuMeter meter = CpuMeter.start(stack, involved);
            Wrk result = wrk(wrk, script, paths[i][1], STEADY_RUN);
            rates[i] = result.requestsPerSecond();
            out.append(String.format("| %s | %.0f | %s / %s | %d | %s |%n", paths[i][0], result.requestsPerSecond(), result.p50(),
                    result.p99(), result.non2xx(), meter.perRequestCell(result.requests())));
        }
        return out.append(String.format("%nGateway / direct: %.2f.%n%n", rates[1] / rates[0])).toString();
    }

    private static final Duration STEADY_WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.steadyWarmUp", 120));
    private static final Duration STEADY_RUN = Duration.ofSeconds(30);

    private record Wrk(long requests, double requestsPerSecond, String p50, String p99, long non2xx) {
    }

    private static Wrk wrk(String wrk, Path script, String baseUrl, Duration duration) throws Exception {
        Process process = new ProcessBuilder(wrk, "-t1", "-c8", "-d" + duration.toSeconds() + "s", "--latency", "-s",
                script.toString(), baseUrl).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS);
        Matcher requests = Pattern.compile("([0-9]+) requests in").matcher(output);
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        Matcher p50 = Pattern.compile("\\s50%\\s+(\\S+)").matcher(output);
        Matcher p99 = Pattern.compile("\\s99%\\s+(\\S+)").matcher(output);
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)").matcher(output);
        if (!requests.find() || !rate.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("wrk said:\n" + output);
        }
        return new Wrk(Long.parseLong(requests.group(1)), Double.parseDouble(rate.group(1)), p50.group(1), p99.group(1),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
    }

    private static final String CHECK_IN_ROUTE = "/v1/missions/%s/worker-check-events";

    /**
     * A wrk script posting a check-in of {@code worker} on a new mission each time (a new chain: no
     * conflict), to {@code route} with the mission in place of its %s.
     */
    private static Path wrkCheckInScript(String token, UUID worker, String route) throws IOException {
        Path script = Files.createTempFile("checkin", ".lua");
        Files.writeString(script, """
                math.randomseed(os.time())
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                wrk.body = '{"worker_id":"%s","event_type":"check_in","occurred_at":"%s","source":"api","metadata":{"bench":true}}'
                local function hex(n)
                  local s = ""
                  for _ = 1, n do s = s .. string.format("%%x", math.random(0, 15)) end
                  return s
                end
                request = function()
                  local mission = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-8" .. hex(3) .. "-" .. hex(12)
                  return wrk.format(nil, string.format("%s", mission))
                end
                """.formatted(token, worker, Instant.now().minusSeconds(5), route));
        return script;
    }

    // --- 9. the web stack: WebFlux on Netty against Spring MVC on virtual threads ------------------

    private static final Duration WEB_RUN = Duration.ofSeconds(20);
    /** The reactive app's route whose SQL runs on JDBC on a virtual thread (bench/web-stacks, CheckIns.ROUTE_ON_JDBC). */
    private static final String JDBC_ROUTE = "/jdbc/missions/%s/worker-check-events";

    /**
     * What the web stack costs a check-in, beside the check-in service: one check-in-like route (JWT
     * resource server, JSON body validated, 201 with JSON) served by the services' stack (WebFlux on
     * Reactor Netty, R2DBC) and by Spring MVC on Tomcat with virtual threads (JDBC), each app in a JVM
     * of its own with the services' JVM options (bench/web-stacks). Each app's route runs once with the
     * check-in's SQL ({@link eu.erpdetachement.bench.web.CheckInSql}) and once without; the check-in
     * service itself is loaded the same way. wrk (8 connections) warms every target, then three
     * rounds load each in turn; CPU is each process's over the row, divided by wrk's requests.
     */
    private static String webStacks(RunningStack stack) throws Exception {
        String wrk = System.getProperty("bench.wrk", "wrk");
        UUID anyWorker = UUID.randomUUID();
        StringBuilder out = new StringBuilder("## One check-in route on two web stacks, beside the check-in service (wrk, 8 connections, "
                + WEB_RUN.toSeconds() + " s per row, three rounds)\n\n"
                + "| round | server | route | req/s | p50 / p99 | non-2xx | CPU ms per request: server / PostgreSQL |\n"
                + "|---|---|---|---|---|---|---|\n");
        try (WebStackProcess reactive = WebStackProcess.start(stack, "reactive", PORT_OFFSET + 8095);
                WebStackProcess servlet = WebStackProcess.start(stack, "servlet", PORT_OFFSET + 8096)) {
            List<WebTarget> targets = new ArrayList<>();
            for (String route : List.of("/no-sql/missions/%s/worker-check-events", CHECK_IN_ROUTE)) {
                for (WebStackProcess app : List.of(reactive, servlet)) {
                    targets.add(new WebTarget(app.stack() + " app", route, app.url(), app::cpuNanos,
                            () -> wrkCheckInScript(app.token(), anyWorker, route)));
                }
            }
            // the check-in service's design since decision 0044: the reactive web stack, the SQL on JDBC on virtual threads
            targets.add(new WebTarget("reactive app", JDBC_ROUTE, reactive.url(), reactive::cpuNanos,
                    () -> wrkCheckInScript(reactive.token(), anyWorker, JDBC_ROUTE)));
            String[] token = {signIn(stack)};
            UUID worker = knownWorker(stack, token[0]);
            long servicePid = stack.process("checkin-service").pid();
            targets.add(new WebTarget("check-in service", CHECK_IN_ROUTE, stack.serviceUrl("checkin-service"),
                    () -> cpuNanosOf(servicePid),
                    () -> wrkCheckInScript(token[0] = signIn(stack), worker, CHECK_IN_ROUTE))); // tokens live 5 minutes
            for (WebTarget target : targets) {
                wrk(wrk, target.script().get(), target.url(), target.server().equals("check-in service")
                        ? STEADY_WARM_UP : Duration.ofSeconds(60));
                awaitOutboxDrained(stack);
            }
            for (int round = 1; round <= 3; round++) {
                for (WebTarget target : targets) {
                    Path script = target.script().get();
                    CpuMeter postgres = CpuMeter.start(stack, CpuMeter.POSTGRES);
                    long cpuBefore = target.cpuNanos().getAsLong();
                    Wrk result = wrk(wrk, script, target.url(), WEB_RUN);
                    double serverMs = CpuMeter.msPerRequest(target.cpuNanos().getAsLong() - cpuBefore, result.requests());
                    double postgresMs = postgres.perRequest(result.requests()).get(CpuMeter.POSTGRES);
                    if (result.non2xx() > result.requests() / 100) {
                        throw new IllegalStateException(target.server() + " answered " + result.non2xx() + " of " + result.requests()
                                + " requests with an error");
                    }
                    out.append(String.format("| %d | %s | %s | %.0f | %s / %s | %d | %s / %s |%n", round, target.server(),
                            target.route().startsWith("/no-sql") ? "without SQL"
                                    : target.route().equals(JDBC_ROUTE) ? "check-in SQL on JDBC, virtual threads" : "check-in SQL",
                            result.requestsPerSecond(),
                            result.p50(), result.p99(), result.non2xx(), CpuMeter.format(serverMs), CpuMeter.format(postgresMs)));
                    awaitOutboxDrained(stack);
                }
            }
        }
        return out.append('\n').toString();
    }

    private interface ScriptSource {
        Path get() throws IOException, Exception;
    }

    private record WebTarget(String server, String route, String url, java.util.function.LongSupplier cpuNanos, ScriptSource script) {
    }

    // --- 10. the gateway's data plane: Spring Cloud Gateway against Reactor Netty alone ---------

    /**
     * {@code GET /v1/me} (the caller's profile) straight to the identity service, through a bare
     * Reactor Netty proxy (bench/web-stacks' {@code BareProxy}, no Spring), through a prototype of an edge
     * on Reactor Netty doing the gateway's per-request work ({@code EdgeProxy}) and through the gateway,
     * each warmed for a minute, then three rounds in turn (wrk, 8 connections). What the gateway
     * costs above the bare proxy is its stack, not the data plane (decision 0045).
     */
    private static String gatewayDataPlane(RunningStack stack) throws Exception {
        String wrk = System.getProperty("bench.wrk", "wrk");
        String identity = stack.serviceUrl("identity-service");
        long identityPid = stack.process("identity-service").pid();
        long gatewayPid = stack.process("gateway").pid();
        StringBuilder out = new StringBuilder("## The gateway's data plane: GET /v1/me straight, through Reactor Netty alone, "
                + "through an edge prototype on Reactor Netty, through the gateway (wrk, 8 connections, " + WEB_RUN.toSeconds() + " s per row, three rounds)\n\n"
                + "| round | path | req/s | p50 / p99 | of straight | CPU ms per request: proxy / identity service |\n"
                + "|---|---|---|---|---|---|\n");
        try (WebStackProcess bare = WebStackProcess.bareProxy(stack, PORT_OFFSET + 8097, identity);
                WebStackProcess edge = WebStackProcess.edgeProxy(stack, PORT_OFFSET + 8098, identity, stack.issuer())) {
            List<WebTarget> paths = List.of(
                    new WebTarget("straight", "/v1/me", identity, () -> 0, () -> wrkReadScript(signIn(stack), "/v1/me")),
                    new WebTarget("bare Reactor Netty proxy", "/v1/me", bare.url(), bare::cpuNanos,
                            () -> wrkReadScript(signIn(stack), "/v1/me")),
                    new WebTarget("edge prototype on Reactor Netty", "/v1/me", edge.url(), edge::cpuNanos,
                            () -> wrkReadScript(signIn(stack), "/v1/me")),
                    new WebTarget("gateway", "/v1/me", stack.gatewayUrl(), () -> cpuNanosOf(gatewayPid),
                            () -> wrkReadScript(signIn(stack), "/v1/me")));
            for (WebTarget path : paths) {
                wrk(wrk, path.script().get(), path.url(), Duration.ofSeconds(60));
            }
            for (int round = 1; round <= 3; round++) {
                double straight = 0;
                for (WebTarget path : paths) {
                    Path script = path.script().get(); // signed in per row: tokens live 5 minutes
                    long proxyBefore = path.cpuNanos().getAsLong();
                    long identityBefore = cpuNanosOf(identityPid);
                    Wrk result = wrk(wrk, script, path.url(), WEB_RUN);
                    if (result.non2xx() > 0) {
                        throw new IllegalStateException(path.server() + " answered " + result.non2xx() + " of " + result.requests()
                                + " reads with an error");
                    }
                    double proxyMs = CpuMeter.msPerRequest(path.cpuNanos().getAsLong() - proxyBefore, result.requests());
                    double identityMs = CpuMeter.msPerRequest(cpuNanosOf(identityPid) - identityBefore, result.requests());
                    if (straight == 0) {
                        straight = result.requestsPerSecond();
                    }
                    out.append(String.format("| %d | %s | %.0f | %s / %s | %.2f | %s / %s |%n", round, path.server(),
                            result.requestsPerSecond(), result.p50(), result.p99(), result.requestsPerSecond() / straight,
                            path.server().equals("straight") ? "–" : CpuMeter.format(proxyMs), CpuMeter.format(identityMs)));
                }
            }
        }
        return out.append('\n').toString();
    }

    private static long cpuNanosOf(long pid) {
        return ProcessHandle.of(pid).orElseThrow().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** A wrk script reading {@code path} with {@code token}. */
    private static Path wrkReadScript(String token, String path) throws IOException {
        Path script = Files.createTempFile("read", ".lua");
        Files.writeString(script, """
                wrk.method = "GET"
                wrk.path = "%s"
                wrk.headers["Authorization"] = "Bearer %s"
                """.formatted(path, token));
        return script;
    }

    // --- 6. check-in with 1 vs 2 instances of the check-in service (issue 13, decision 0024) -----

    /**
     * The same closed-loop check-ins against one instance of the check-in service and against two
     * (a second instance started beside the first, same database), through a gateway and straight
     * to the service(s), alternating the two setups row by row. Every process shares the machine's
     * cores: this measures what a second instance buys on one machine, not across machines.
     */
    private static String checkInScaleOut(RunningStack stack) throws Exception {
        DevstackConfig config = stack.config();
        // +200: clear of every port of the stack (+100 would put the gateway on Keycloak's)
        int secondPort = config.checkinPort() + 200;
        var second = stack.startExtraInstance("checkin-service", secondPort, config.checkinManagementPort() + 200,
                "checkin-service-2");
        int gatewayPort = config.gatewayPort() + 200;
        String both = stack.serviceUrl("checkin-service") + ",http://localhost:" + secondPort;
        var balancing = stack.startExtraInstance("gateway", gatewayPort, config.gatewayManagementPort() + 200,
                "gateway-balancing", java.util.Map.of("ERP_CHECKIN_URL", both));
        try {
            // signed in once both instances are up: tokens live 5 minutes, the measurements take under 3
            String token = signIn(stack);
            UUID worker = knownWorker(stack, token);
            String balancingUrl = "http://localhost:" + gatewayPort;
            List<String> one = List.of(stack.serviceUrl("checkin-service"));
            List<String> two = List.of(stack.serviceUrl("checkin-service"), "http://localhost:" + secondPort);
            // warm up every path (JIT, connection pools) before anything is measured
            HttpLoad.checkIns("warm-up", stack.gatewayUrl(), () -> token, worker, 8, Duration.ofSeconds(10));
            HttpLoad.checkIns("warm-up", balancingUrl, () -> token, worker, 8, Duration.ofSeconds(10));
            HttpLoad.checkIns("warm-up", two, () -> token, worker, 8, Duration.ofSeconds(5));

            StringBuilder out = new StringBuilder("## Check-in POST with 1 vs 2 check-in instances on one machine ("
                    + RUN.toSeconds() + " s per row)\n\n"
                    + "| path | clients | 1 instance req/s | 1 instance p50 / p99 ms | 2 instances req/s | 2 instances p50 / p99 ms"
                    + " | 2 / 1 | CPU ms/req 1 instance: gateway / check-in | CPU ms/req 2 instances: gateway / check-in (both)"
                    + " | errors |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (int c : new int[] {8, 32}) {
                CpuMeter meter1 = CpuMeter.start(stack, "gateway", "checkin-service");
                HttpLoad.Result gateway1 = HttpLoad.checkIns("gateway, 1", stack.gatewayUrl(), () -> token, worker, c, RUN);
                String cpu1 = gatewayAndCheckIn(meter1.perRequest(gateway1.requests()));
                CpuMeter meter2 = CpuMeter.start(stack, "gateway-balancing", "checkin-service", "checkin-service-2");
                HttpLoad.Result gateway2 = HttpLoad.checkIns("gateway, 2", balancingUrl, () -> token, worker, c, RUN);
                out.append(scaleOutRow("gateway", c, gateway1, gateway2, cpu1,
                        gatewayAndCheckIn(meter2.perRequest(gateway2.requests()))));
                meter1 = CpuMeter.start(stack, "checkin-service");
                HttpLoad.Result direct1 = HttpLoad.checkIns("direct, 1", one, () -> token, worker, c, RUN);
                cpu1 = "– / " + CpuMeter.format(sum(meter1.perRequest(direct1.requests())));
                meter2 = CpuMeter.start(stack, "checkin-service", "checkin-service-2");
                HttpLoad.Result direct2 = HttpLoad.checkIns("direct, 2", two, () -> token, worker, c, RUN);
                out.append(scaleOutRow("direct", c, direct1, direct2, cpu1,
                        "– / " + CpuMeter.format(sum(meter2.perRequest(direct2.requests())))));
            }
            return out.append("\n").toString();
        } finally {
            balancing.close();
            second.close();
        }
    }

    /** "gateway / check-in" from a measure whose first process is a gateway and the others check-in instances. */
    private static String gatewayAndCheckIn(java.util.Map<String, Double> perRequest) {
        List<Double> values = List.copyOf(perRequest.values());
        return CpuMeter.format(values.getFirst()) + " / " + CpuMeter.format(sum(values.subList(1, values.size())));
    }

    private static double sum(java.util.Map<String, Double> perRequest) {
        return sum(perRequest.values());
    }

    private static double sum(java.util.Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String scaleOutRow(String path, int clients, HttpLoad.Result one, HttpLoad.Result two, String cpuOne,
            String cpuTwo) {
        return String.format("| %s | %d | %.0f | %.1f / %.1f | %.0f | %.1f / %.1f | %.2f | %s | %s | %d |%n", path, clients,
                one.requestsPerSecond(), one.p50Ms(), one.p99Ms(), two.requestsPerSecond(), two.p50Ms(), two.p99Ms(),
                two.requestsPerSecond() / one.requestsPerSecond(), cpuOne, cpuTwo, one.errors() + two.errors());
    }

    // --- 2. relay draining a backlog vs Kafka's producer perf tool -----------------------------

    /**
     * Two backlogs: the first drained by a relay process started for it (its JIT compiling the drain as it
     * goes: the drain lasts seconds), the second by the same process, now warm, as a relay that has run
     * for a while meets a backlog after Kafka was away. The producer's baseline is likewise measured on
     * its second run in this JVM. The ratio is the warm one.
     */
    private static String relayBacklog(RunningStack stack) throws Exception {
        int backlog = Integer.getInteger("bench.backlog", 200_000);
        String topic = "erp.checkin.bench-backlog.v1";
        stack.process("outbox-relay").close();
        insertBacklog(stack, backlog);
        Instant start = Instant.now();
        stack.restartService("outbox-relay"); // a new process, started for the drain
        Drain cold;
        Drain warm;
        try (KafkaConsumer<byte[], byte[]> offsets = offsetReader(stack)) {
            cold = drain(stack, offsets, topic, 0, backlog, start);
            // the relay runs on: the backlog is one transaction, which the slot streams once it has committed
            insertBacklog(stack, backlog);
            warm = drain(stack, offsets, topic, backlog, 2L * backlog, Instant.now());
        }

        String[] producer = producerAtFullSpeed(stack, backlog, 300);
        double producerFirstRate = producerPerformance(producer);
        CpuMeter producerMeter = CpuMeter.start(stack, "kafka");
        long benchCpuBefore = CpuMeter.thisJvmNanos();
        double producerRate = producerPerformance(producer);
        // the producer runs in this JVM: its CPU per record, beside the broker's, is the baseline's whole cost
        String producerCpu = producerMeter.perRequestCell(backlog) + " / "
                + CpuMeter.format(CpuMeter.msPerRequest(CpuMeter.thisJvmNanos() - benchCpuBefore, backlog));
        // the relay's records carry a key and nine CloudEvents headers besides the payload: the same baseline
        // with records of the relay's size in bytes (ProducerPerformance sends values only)
        int relayRecordBytes = recordBytes(stack, topic);
        double producerSameSizeRate = producerPerformance(producerAtFullSpeed(stack, backlog, relayRecordBytes));
        return "## Relay draining a backlog of " + backlog + " outbox rows\n\n"
                + String.format("Relay, warm (the second backlog, same process): %.0f events/s (%.0f events in %.1f s after"
                        + " the first one reached the topic). Kafka ProducerPerformance on the same broker, same producer"
                        + " settings, its second run: %.0f records/s. **Relay / raw producer: %.2f**.%n%n"
                        + "Relay, fresh process (the first backlog): %.0f events/s (%.0f events in %.1f s; the process started"
                        + " and published its first event in %.1f s); ProducerPerformance's first run %.0f records/s (%.2f).%n%n"
                        + "CPU ms per event while draining, warm: relay / Kafka / PostgreSQL %s (fresh process: %s);"
                        + " Kafka / the producer's JVM (this one), CPU ms per record under ProducerPerformance %s. Records are counted in the topic (its end"
                        + " offsets), not scraped from the relay.%n%n"
                        + "The relay's records hold %d bytes each (key, value and headers); ProducerPerformance with records"
                        + " of that size: %.0f records/s (relay, warm / that: %.2f).%n%n",
                        warm.rate(), warm.events(), warm.seconds(), producerRate, warm.rate() / producerRate,
                        cold.rate(), cold.events(), cold.seconds(), cold.firstAfter(), producerFirstRate,
                        cold.rate() / producerFirstRate, warm.cpu(), cold.cpu(), producerCpu, relayRecordBytes,
                        producerSameSizeRate, warm.rate() / producerSameSizeRate);
    }

    /** ProducerPerformance as fast as it goes. */
    private static String[] producerAtFullSpeed(RunningStack stack, int records, int recordBytes) {
        return producerPerformanceArgs(stack, "bench.producer-perf", records, recordBytes, -1);
    }

    /**
     * ProducerPerformance's arguments, with the relay's producer settings (OutboxRelay#producerConfig): acks,
     * idempotence, linger, batch size. {@code throughput} -1 is as fast as it goes.
     */
    private static String[] producerPerformanceArgs(RunningStack stack, String topic, int records, int recordBytes,
            int throughput) {
        return new String[] {"--topic", topic, "--num-records", Integer.toString(records), "--record-size",
                Integer.toString(recordBytes), "--throughput", Integer.toString(throughput), "--producer-props",
                "bootstrap.servers=" + stack.kafkaBootstrap(), "acks=all", "enable.idempotence=true", "linger.ms=2",
                "batch.size=65536"};
    }

    /** The serialized size of a record the relay published to {@code topic}: key, value, header names and values. */
    private static int recordBytes(RunningStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = offsetReader(stack)) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    int headers = 0;
                    for (var header : r.headers()) {
                        headers += header.key().getBytes(StandardCharsets.UTF_8).length + header.value().length;
                    }
                    return r.serializedKeySize() + r.serializedValueSize() + headers;
                }
            }
            throw new IllegalStateException("No record in " + topic);
        }
    }

    private static void insertBacklog(RunningStack stack, int rows) throws Exception {
        try (Connection c = superuser(stack); Statement s = c.createStatement()) {
            s.execute("INSERT INTO checkin.outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at) "
                    + "SELECT gen_random_uuid(), 'checkin.bench-backlog', 'chain-' || (i % 1000), 'WorkerCheckEventRecorded', "
                    + "'11111111-1111-4111-8111-111111111111', jsonb_build_object('n', i, 'padding', repeat('x', 200)), now() "
                    + "FROM generate_series(1, " + rows + ") i");
        }
    }

    /** A drain: events/s from the first new record in the topic to the last, and what it cost each process. */
    private record Drain(double rate, double events, double seconds, double firstAfter, String cpu) {
    }

    /**
     * Waits for the topic to go past {@code before} records, then times it until it holds {@code target}. The
     * count is the broker's (the topic's end offsets): scraping the relay's counter every 100 ms had taken 15 %
     * of the relay's samples (JFR, fourth round) from the process being measured.
     */
    private static Drain drain(RunningStack stack, KafkaConsumer<byte[], byte[]> offsets, String topic, long before, long target,
            Instant start) throws Exception {
        double first;
        while ((first = recordsIn(offsets, topic)) <= before) {
            awaitProgress(start);
        }
        Instant firstSeen = Instant.now();
        CpuMeter meter = CpuMeter.start(stack, "outbox-relay", "kafka", CpuMeter.POSTGRES);
        double published;
        while ((published = recordsIn(offsets, topic)) < target) {
            awaitProgress(start);
        }
        double seconds = Duration.between(firstSeen, Instant.now()).toMillis() / 1000.0;
        return new Drain((published - first) / seconds, published - first, seconds,
                Duration.between(start, firstSeen).toMillis() / 1000.0, meter.perRequestCell(Math.round(published - first)));
    }

    /** Runs Kafka's ProducerPerformance in this JVM and returns the records/s of its closing line. */
    private static double producerPerformance(String[] args) throws Exception {
        return producerPerformanceSummary(args).recordsPerSecond();
    }

    /** ProducerPerformance's closing line: records/s and its send → acknowledgement percentiles. */
    private record ProducerSummary(double recordsPerSecond, String p50Ms, String p99Ms) {
    }

    private static ProducerSummary producerPerformanceSummary(String[] args) throws Exception {
        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            org.apache.kafka.tools.ProducerPerformance.main(args);
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        console.print(output);
        Matcher line = Pattern.compile("records sent, ([0-9.]+) records/sec.*?([0-9]+) ms 50th, [0-9]+ ms 95th, ([0-9]+) ms 99th")
                .matcher(output);
        ProducerSummary last = null;
        while (line.find()) {
            last = new ProducerSummary(Double.parseDouble(line.group(1)), line.group(2), line.group(3));
        }
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no closing line:\n" + output);
        }
        return last;
    }

    private static void awaitProgress(Instant start) throws InterruptedException {
        if (Duration.between(start, Instant.now()).toMinutes() > 10) {
            throw new IllegalStateException("Backlog not drained within 10 minutes");
        }
        Thread.sleep(20); // polling the topic's end offsets (a drain lasts seconds: the poll bounds its timing)
    }

    private static KafkaConsumer<byte[], byte[]> offsetReader(RunningStack stack) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // the relay's first record makes the topic
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** The records in a topic so far (the sum of its partitions' end offsets); 0 while it does not exist. */
    private static double recordsIn(KafkaConsumer<byte[], byte[]> offsets, String topic) {
        List<org.apache.kafka.common.TopicPartition> partitions = offsets.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition())).toList();
        return partitions.isEmpty() ? 0 : offsets.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    // --- 3. commit-to-Kafka latency at a steady rate --------------------------------------------

    /** At the two rates: 500 and 2,000 events/s. */
    private static String commitToKafkaLatency(RunningStack stack) throws Exception {
        return commitToKafkaLatency(stack, 500) + commitToKafkaLatency(stack, 2000);
    }

    /**
     * {@code -Dbench.latencyWarmUp=30} (BENCH_LATENCY_WARMUP): seconds of the same load before each measured
     * row, received and then forgotten. Without it the first row measured the relay's, the broker's and the
     * consumer's JIT compiling the path (a relay runs for days; its first minute is not its latency).
     */
    private static final Duration LATENCY_WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.latencyWarmUp", 30));

    private static String commitToKafkaLatency(RunningStack stack, int rate) throws Exception {
        int seconds = 20;
        int total = rate * seconds;
        int warmUp = (int) (rate * LATENCY_WARM_UP.toSeconds());
        String topic = "erp.checkin.bench-latency.v1";
        Receipts latency = new Receipts(); // cleared here, added to by the consumer thread
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
                Connection c = superuser(stack);
                PreparedStatement insert = c.prepareStatement("INSERT INTO checkin.outbox (id, aggregatetype, aggregateid, type,"
                        + " tenant_id, payload, occurred_at) VALUES (gen_random_uuid(), 'checkin.bench-latency', ?, 'WorkerCheckEventRecorded',"
                        + " '11111111-1111-4111-8111-111111111111', CAST(? AS jsonb), now())")) {
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(200)); // join the group before writing
            }
            // each partition's start ("latest") settled now: reset later, it skipped the first events written
            consumer.assignment().forEach(partition -> consumer.position(partition, Duration.ofSeconds(10)));
            // the consumer blocks in poll on its own thread; the writer paces itself without spinning,
            // so the measurement does not take a core away from the relay, Kafka and PostgreSQL
            AtomicInteger received = new AtomicInteger();
            Thread reader = Thread.ofPlatform().name("bench-consumer").start(() -> {
                Instant deadline = Instant.now().plusSeconds(LATENCY_WARM_UP.toSeconds() + seconds + 120L);
                while (received.get() < warmUp + total && Instant.now().isBefore(deadline)) {
                    received.addAndGet(drain(consumer, latency, Duration.ofMillis(100)));
                }
            });
            c.setAutoCommit(true);
            write(insert, rate, warmUp, new Histogram(3));
            Instant warmDeadline = Instant.now().plusSeconds(60);
            while (received.get() < warmUp && Instant.now().isBefore(warmDeadline)) {
                Thread.sleep(10); // polling the consumer's count: the warm-up's events are in before the measured ones
            }
            latency.clear(); // none of the measured events has been written yet
            CpuMeter meter = CpuMeter.start(stack, "outbox-relay", "kafka", CpuMeter.POSTGRES);
            Histogram insertLatency = new Histogram(3);
            java.util.TreeMap<Double, Double> ackBefore = relayHistogram(stack, "erp_relay_commit_to_ack_seconds");
            java.util.TreeMap<Double, Double> decodeBefore = relayHistogram(stack, "erp_relay_commit_to_decode_seconds");
            double written = write(insert, rate, total, insertLatency);
            reader.join();
            String cpu = meter.perRequestCell(total);
            java.util.TreeMap<Double, Double> ackAfter = relayHistogram(stack, "erp_relay_commit_to_ack_seconds");
            java.util.TreeMap<Double, Double> decodeAfter = relayHistogram(stack, "erp_relay_commit_to_decode_seconds");
            // Kafka's own send → acknowledgement at the same rate, with the relay's producer settings: what the
            // broker alone adds on this machine, measured after a warm-up run of as many records as above
            producerPerformanceSummary(producerAtRate(stack, rate, warmUp));
            ProducerSummary raw = producerPerformanceSummary(producerAtRate(stack, rate, total));
            return "## Commit-to-Kafka latency at a steady " + rate + " events/s for " + seconds + " s\n\n"
                    + String.format("After %d s of the same load (received, then forgotten): written at %.0f events/s."
                            + " Received %d of %d. p50 %.0f ms, p99 %.0f ms, max %.0f ms"
                            + " (commit to consumer receipt). The relay's own `erp_relay_commit_to_ack_seconds` over the"
                            + " same rows (the transaction's commit to Kafka's acknowledgement, histogram bucket bounds):"
                            + " p50 ≤ %.1f ms, p99 ≤ %.1f ms; of which from the commit to the relay reading it from the slot"
                            + " (`erp_relay_commit_to_decode_seconds`, the transaction's commit time): p50 ≤ %.1f ms, p99 ≤ %.1f ms."
                            + " CPU ms per event: relay / Kafka / PostgreSQL %s. Baseline: Kafka's ProducerPerformance at"
                            + " the same rate, same producer settings, send → acknowledgement after as many warm-up records: p50 %s ms, p99 %s ms."
                            + " The writer's INSERT and commit: p50 %.1f ms, p99 %.1f ms.%n%n",
                            LATENCY_WARM_UP.toSeconds(), written, latency.size(), total,
                            latency.percentile(Receipts.TOTAL, 50), latency.percentile(Receipts.TOTAL, 99),
                            latency.percentile(Receipts.TOTAL, 100),
                            bucketPercentile(ackBefore, ackAfter, 0.50) * 1000, bucketPercentile(ackBefore, ackAfter, 0.99) * 1000,
                            bucketPercentile(decodeBefore, decodeAfter, 0.50) * 1000,
                            bucketPercentile(decodeBefore, decodeAfter, 0.99) * 1000, cpu, raw.p50Ms(), raw.p99Ms(),
                            insertLatency.getValueAtPercentile(50) / 1000.0, insertLatency.getValueAtPercentile(99) / 1000.0)
                    + latency.split();
        }
    }

    private static String[] producerAtRate(RunningStack stack, int rate, int records) {
        return producerPerformanceArgs(stack, "bench.producer-latency", records, 300, rate);
    }

    /** Writes {@code events} outbox rows at {@code rate} a second, each its own transaction; answers the rate reached. */
    private static double write(PreparedStatement insert, int rate, int events, Histogram insertLatency) throws Exception {
        long intervalNanos = 1_000_000_000L / rate;
        long started = System.nanoTime();
        long next = started;
        for (int i = 0; i < events; i++) {
            insert.setString(1, "chain-" + (i % 100));
            insert.setString(2, "{\"committed_at_millis\":" + System.currentTimeMillis() + "}");
            long sent = System.nanoTime();
            insert.executeUpdate(); // autocommit: one transaction per event
            insertLatency.recordValue((System.nanoTime() - sent) / 1000);
            next += intervalNanos;
            LockSupport.parkNanos(next - System.nanoTime()); // pacing, not synchronisation
        }
        return events / ((System.nanoTime() - started) / 1e9);
    }

    /** One of the relay's latency histograms: cumulative count by bucket bound (seconds). */
    private static java.util.TreeMap<Double, Double> relayHistogram(RunningStack stack, String name) throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(stack.managementUrl("outbox-relay")
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        Matcher m = Pattern.compile(name + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.E+]+)")
                .matcher(metrics.body());
        while (m.find()) {
            buckets.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)));
        }
        return buckets;
    }

    /** The smallest bucket bound under which {@code quantile} of the events recorded between the two readings fall. */
    private static double bucketPercentile(java.util.TreeMap<Double, Double> before, java.util.TreeMap<Double, Double> after,
            double quantile) {
        if (after.isEmpty()) {
            return Double.NaN;
        }
        double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        for (var bucket : after.entrySet()) {
            if (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0) >= quantile * total) {
                return bucket.getKey();
            }
        }
        return Double.NaN;
    }

    private static int drain(KafkaConsumer<String, String> consumer, Receipts latency, Duration wait) {
        int n = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
            long now = System.currentTimeMillis();
            Matcher m = COMMITTED_AT.matcher(r.value());
            if (m.find()) {
                latency.add(Long.parseLong(m.group(1)), r.timestamp(), now);
                n++;
            }
        }
        return n;
    }

    /**
     * Each event's way, in the machine's one clock (ms): written (before the INSERT), sent (the record's
     * CreateTime: the relay's {@code send}), received. Splits commit → consumer in two: PostgreSQL and the
     * relay's reading up to its send, then the producer, the broker and the consumer.
     */
    private static final class Receipts {

        static final int TOTAL = 0;
        static final int TO_SEND = 1;
        static final int AFTER_SEND = 2;
        private final List<long[]> events = new ArrayList<>();

        synchronized void add(long written, long sent, long received) {
            events.add(new long[] {Math.max(0, received - written), Math.max(0, sent - written), Math.max(0, received - sent)});
        }

        synchronized void clear() {
            events.clear();
        }

        synchronized int size() {
            return events.size();
        }

        synchronized double percentile(int part, double percentile) {
            long[] values = events.stream().mapToLong(e -> e[part]).sorted().toArray();
            return values.length == 0 ? Double.NaN : values[(int) Math.min(values.length - 1, Math.ceil(percentile / 100 * values.length) - 1)];
        }

        /** p50 and p99 of each part, and where the slowest 1 % spent their time. */
        synchronized String split() {
            List<long[]> slowest = events.stream().sorted(java.util.Comparator.comparingLong((long[] e) -> e[TOTAL]).reversed())
                    .limit(Math.max(1, events.size() / 100)).toList();
            return String.format("Split by the record's CreateTime (the relay's send): written → sent p50 %.0f ms, p99 %.0f ms;"
                    + " sent → received p50 %.0f ms, p99 %.0f ms. The slowest 1 %% (%d events): written → sent %.1f ms,"
                    + " sent → received %.1f ms on average.%n%n", percentile(TO_SEND, 50), percentile(TO_SEND, 99),
                    percentile(AFTER_SEND, 50), percentile(AFTER_SEND, 99), slowest.size(),
                    slowest.stream().mapToLong(e -> e[TO_SEND]).average().orElse(Double.NaN),
                    slowest.stream().mapToLong(e -> e[AFTER_SEND]).average().orElse(Double.NaN));
        }
    }

    // --- 4. direct uploads through the gateway vs a PUT straight to the S3 server ---------------

    private static String uploads(RunningStack stack) throws Exception {
        String token = signIn(stack);
        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint()).credentials(stack.config().s3AccessKey(),
                stack.config().s3SecretKey()).build();
        int concurrency = 4;
        StringBuilder out = new StringBuilder("## Direct upload (multipart through the gateway) vs a PUT straight to S3 ("
                + RUN.toSeconds() + " s per row, " + concurrency + " clients)\n\n"
                + "| file size | gateway files/s | gateway MiB/s | gateway p50 / p99 ms | S3 PUT files/s | S3 PUT MiB/s"
                + " | gateway / S3 | files-service peak heap MiB | CPU ms/file via gateway: gateway / files-service / S3 server"
                + " | CPU ms/file S3 PUT: S3 server | errors |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        // with the size declared the file streams into one PUT; without, the S3 client sends it in parts (decision 0031)
        record Row(int mib, boolean declared) {
        }
        StringBuilder warmUps = new StringBuilder();
        for (Row row : List.of(new Row(1, true), new Row(20, true), new Row(20, false))) {
            int mib = row.mib();
            byte[] content = new byte[mib * 1024 * 1024];
            new java.util.SplittableRandom(mib).nextBytes(content);
            String declared = row.declared() ? ",\"size_bytes\":" + content.length + ",\"sha256_hash\":\"" + sha256(content) + "\"" : "";
            // warm up both paths, the gateway's until the JIT is done with it: at a few files a second the
            // per-file code is still interpreted or C1-compiled after the first minute
            warmUps.append("- ").append(mib).append(" MiB, size ").append(row.declared() ? "declared" : "not declared").append(": ")
                    .append(untilCpuPerRequestSettles(stack, "file", () -> HttpLoad.run("warm-up", concurrency, SETTLE_WINDOW, 201,
                            () -> multipartUpload(stack, token, content, declared)), "gateway", "files-service").strip()).append('\n');
            HttpLoad.run("warm-up", concurrency, Duration.ofSeconds(5), 200, () -> presignedPut(s3, content));
            HeapWatch heap = HeapWatch.start(stack.managementUrl("files-service"));
            CpuMeter meter = CpuMeter.start(stack, "gateway", "files-service", "s3proxy");
            HttpLoad.Result gateway = HttpLoad.run("gateway", concurrency, RUN, 201,
                    () -> multipartUpload(stack, token, content, declared));
            String gatewayCpu = meter.perRequestCell(gateway.requests());
            long peakHeap = heap.stop();
            meter = CpuMeter.start(stack, "s3proxy");
            HttpLoad.Result direct = HttpLoad.run("s3", concurrency, RUN, 200, () -> presignedPut(s3, content));
            String directCpu = meter.perRequestCell(direct.requests());
            out.append(String.format("| %d MiB, size %s | %.1f | %.1f | %.0f / %.0f | %.1f | %.1f | %.2f | %d | %s | %s | %d |%n", mib,
                    row.declared() ? "declared" : "not declared",
                    gateway.requestsPerSecond(), gateway.requestsPerSecond() * mib, gateway.p50Ms(), gateway.p99Ms(),
                    direct.requestsPerSecond(), direct.requestsPerSecond() * mib,
                    gateway.requestsPerSecond() / direct.requestsPerSecond(), peakHeap / (1024 * 1024), gatewayCpu, directCpu,
                    gateway.errors() + direct.errors()));
        }
        return out.append("\nWarm-up before each row:\n\n").append(warmUps).append("\n").toString();
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest multipartUpload(RunningStack stack, String token, byte[] content, String declared) {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n{\"storage_provider\":\"s3\",\"bucket\":\"erp-files\",\"path\":\"bench/"
                + UUID.randomUUID() + ".pdf\",\"filename\":\"bench.pdf\",\"mime_type\":\"application/pdf\"" + declared + "}\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofByteArray(content), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
    }

    private static HttpRequest presignedPut(MinioClient s3, byte[] content) {
        try {
            String url = s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.PUT)
                    .bucket("erp-files").object("bench-direct/" + UUID.randomUUID() + ".pdf").expiry(600).build());
            return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/pdf")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Samples a service's used heap (all heap pools) from its Prometheus endpoint once a second and keeps the peak. */
    private static final class HeapWatch {
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        private final Thread sampler;

        private HeapWatch(String serviceUrl) {
            Pattern heapPool = Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)");
            sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/actuator/prometheus")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        long used = 0;
                        for (Matcher m = heapPool.matcher(metrics); m.find();) {
                            used += (long) Double.parseDouble(m.group(1));
                        }
                        peak.accumulateAndGet(used, Math::max);
                        // sampling period: a scrape costs the service ~10 ms of CPU (every histogram of the
                        // catalogue), which at 5 a second was a tenth of its samples in the upload rows
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a missed sample
                    }
                }
            });
        }

        static HeapWatch start(String serviceUrl) {
            return new HeapWatch(serviceUrl);
        }

        long stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
            return peak.get();
        }
    }

    // --- 5. sign-in through the gateway vs Keycloak's token endpoint; reads of /v1/me and /v1/users ---

    private static String identity(RunningStack stack) throws Exception {
        String credentials = "{\"email\":\"admin@acme.test\",\"password\":\"Demo-Admin-2026!\"}";
        String form = "grant_type=password&client_id=erp-identity&client_secret="
                + java.net.URLEncoder.encode(stack.config().identityClientSecret(), StandardCharsets.UTF_8)
                + "&username=admin%40acme.test&password=Demo-Admin-2026%21";
        java.util.function.Supplier<HttpRequest> gatewayLogin = () -> HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                + "/v1/auth/login")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build();
        java.util.function.Supplier<HttpRequest> keycloakLogin = () -> HttpRequest.newBuilder(URI.create(stack.issuer()
                + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        // each path until the JIT is done with it: Keycloak's as well, the baseline
        String warmUp = untilCpuPerRequestSettles(stack, "sign-in", () -> HttpLoad.run("warm-up", 2, SETTLE_WINDOW, 200,
                gatewayLogin), "gateway", "identity-service")
                + untilCpuPerRequestSettles(stack, "token request", () -> HttpLoad.run("warm-up", 2, SETTLE_WINDOW, 200,
                        keycloakLogin), "keycloak");

        StringBuilder out = new StringBuilder("## Sign-in and reads (" + RUN.toSeconds() + " s per row)\n\n" + warmUp
                + "| what | clients | req/s | p50 / p99 ms | ratio | CPU ms/req: gateway / identity / Keycloak | errors |\n"
                + "|---|---|---|---|---|---|---|\n");
        // the identity service straight (no gateway, so none of its abuse limits) splits the hops' cost in two
        java.util.function.Supplier<HttpRequest> directLogin = () -> HttpRequest.newBuilder(URI.create(
                stack.serviceUrl("identity-service") + "/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build();
        String[] involved = {"gateway", "identity-service", "keycloak"};
        for (int c : new int[] {1, 4}) {
            // the first of the two rows pays for what the JIT still compiles of the identity service's path:
            // the gateway's row goes first at 1 client, the straight one at 4 (eleventh round)
            HttpLoad.Result gateway = null;
            HttpLoad.Result direct = null;
            String gatewayCpu = null;
            String directCpu = null;
            for (boolean viaGateway : c == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                CpuMeter meter = CpuMeter.start(stack, involved);
                if (viaGateway) {
                    gateway = HttpLoad.run("login via gateway", c, RUN, 200, gatewayLogin);
                    gatewayCpu = meter.perRequestCell(gateway.requests());
                } else {
                    direct = HttpLoad.run("login straight to identity", c, RUN, 200, directLogin);
                    directCpu = meter.perRequestCell(direct.requests());
                }
            }
            CpuMeter meter = CpuMeter.start(stack, involved);
            HttpLoad.Result keycloak = HttpLoad.run("Keycloak token endpoint", c, RUN, 200, keycloakLogin);
            out.append(row(gateway, "", gatewayCpu))
                    .append(row(direct, String.format("identity / Keycloak %.2f", direct.requestsPerSecond()
                            / keycloak.requestsPerSecond()), directCpu))
                    .append(row(keycloak, String.format("gateway / Keycloak %.2f",
                    gateway.requestsPerSecond() / keycloak.requestsPerSecond()), meter.perRequestCell(keycloak.requests())));
        }
        String token = signIn(stack);
        StringBuilder readWarmUps = new StringBuilder("\nWarm-up before each read row:\n\n");
        for (String path : List.of("/v1/me", "/v1/users?limit=50")) {
            java.util.function.Supplier<HttpRequest> read = () -> HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                    .header("Authorization", "Bearer " + token).GET().build();
            readWarmUps.append("- `").append(path).append("`: ").append(untilCpuPerRequestSettles(stack, "read",
                    () -> HttpLoad.run("warm-up", 8, SETTLE_WINDOW, 200, read), "gateway", "identity-service").strip()).append('\n');
            CpuMeter meter = CpuMeter.start(stack, involved);
            HttpLoad.Result reads = HttpLoad.run("GET " + path + " via gateway", 8, RUN, 200, read);
            out.append(row(reads, "", meter.perRequestCell(reads.requests())));
        }
        return out.append(readWarmUps).append("\n").toString();
    }

    private static String row(HttpLoad.Result r, String ratio, String cpu) {
        return String.format("| %s | %d | %.0f | %.1f / %.1f | %s | %s | %d |%n", r.target(), r.concurrency(), r.requestsPerSecond(),
                r.p50Ms(), r.p99Ms(), ratio, cpu, r.errors());
    }

    private static Connection superuser(RunningStack stack) throws Exception {
        return DriverManager.getConnection(stack.jdbcUrl(), "postgres", "postgres");
    }

    /** A new active worker, once the check-in service knows it from identity's events (a worker_id must name one). */
    private static UUID knownWorker(RunningStack stack, String token) throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/users"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"bench-" + UUID.randomUUID().toString().substring(0, 8)
                        + "@acme.test\",\"role_type\":\"worker\",\"is_active\":true,\"language\":\"en\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"user_id\":\"([^\"]+)\"").matcher(created.body());
        if (!m.find()) {
            throw new IllegalStateException("Worker not created: " + created.body());
        }
        UUID worker = UUID.fromString(m.group(1)); // a worker created without a worker id gets its user id
        Instant deadline = Instant.now().plusSeconds(60);
        while (HttpLoad.checkIns("probe", stack.gatewayUrl(), () -> token, worker, 1, Duration.ofMillis(200)).requestsPerSecond() == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("The check-in service did not learn of worker " + worker);
            }
        }
        return worker;
    }

    private static String signIn(RunningStack stack) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"admin@acme.test\",\"password\":\"Demo-Admin-2026!\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("Sign-in failed: " + response.body());
        }
        return m.group(1);
    }
}
