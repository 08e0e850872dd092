package eu.erpdetachement.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import eu.erpdetachement.devstack.RunningStack;

/**
 * CPU time the stack's processes spent over a benchmark row, per request: a figure the load
 * generator cannot bend (a slow client lowers req/s, not the CPU a request costs). Services are
 * read from their process ({@code /proc/<pid>/stat} through {@link ProcessHandle}, all threads);
 * PostgreSQL is its postmaster and every backend, including the backends that exited during the row.
 */
final class CpuMeter {

    /** The name that stands for the PostgreSQL server (postmaster, its backends and helpers). */
    static final String POSTGRES = "postgres";

    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private final RunningStack stack;
    private final List<String> processes;
    private final long[] before;

    private CpuMeter(RunningStack stack, List<String> processes) {
        this.stack = stack;
        this.processes = List.copyOf(processes);
        this.before = read();
    }

    /** Starts measuring {@code processes}: names of the stack's processes (see RunningStack#process) or {@link #POSTGRES}. */
    static CpuMeter start(RunningStack stack, String... processes) {
        return new CpuMeter(stack, List.of(processes));
    }

    /** CPU milliseconds per request of each process since {@link #start}, in the order they were named. */
    Map<String, Double> perRequest(long requests) {
        long[] after = read();
        Map<String, Double> result = new LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            result.put(processes.get(i), msPerRequest(after[i] - before[i], requests));
        }
        return result;
    }

    /** The same, as "a / b / c" with two decimals (three under 0.1 ms: a drained event costs hundredths). */
    String perRequestCell(long requests) {
        StringJoiner cell = new StringJoiner(" / ");
        perRequest(requests).values().forEach(ms -> cell.add(format(ms)));
        return cell.toString();
    }

    /** The CPU time of the bench's own JVM (a client it runs in process, the producer baseline). */
    static long thisJvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String format(double ms) {
        return Double.isNaN(ms) ? "–" : String.format(ms < 0.1 ? "%.3f" : "%.2f", ms);
    }

    /** CPU nanoseconds spent over {@code requests} requests, in milliseconds per request; NaN without requests. */
    static double msPerRequest(long cpuNanos, long requests) {
        return requests <= 0 ? Double.NaN : cpuNanos / 1_000_000.0 / requests;
    }

    /** utime + stime (+ cutime + cstime when {@code withReapedChildren}) of a /proc/<pid>/stat line, in nanoseconds. */
    static long cpuNanos(String statLine, long clockTicksPerSecond, boolean withReapedChildren) {
        // the command name (field 2) may hold spaces and parentheses: count fields after its closing one
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withReapedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks * 1_000_000_000L / clockTicksPerSecond;
    }

    private long[] read() {
        long[] nanos = new long[processes.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = processes.get(i).equals(POSTGRES) ? postgresNanos() : processNanos(stack.process(processes.get(i)).pid());
        }
        return nanos;
    }

    /** The process and its live descendants: Keycloak runs as a JVM below the launch script the stack started. */
    private static long processNanos(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("No process " + pid));
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process), process.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /** The postmaster with its reaped children (cutime, cstime), plus every live child (backends, WAL sender, ...). */
    private long postgresNanos() {
        try {
            Path pidFile = stack.config().dataRoot().resolve("postgres").resolve("postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            long nanos = cpuNanos(stat(postmaster), CLOCK_TICKS_PER_SECOND, true);
            List<ProcessHandle> children = new ArrayList<>(ProcessHandle.of(postmaster).orElseThrow().children().toList());
            for (ProcessHandle child : children) {
                try {
                    nanos += cpuNanos(stat(child.pid()), CLOCK_TICKS_PER_SECOND, false);
                } catch (IOException gone) {
                    // exited since it was listed: its time is now in the postmaster's cutime/cstime
                }
            }
            return nanos;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read PostgreSQL's CPU time: " + e.getMessage(), e);
        }
    }

    private static String stat(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's USER_HZ on every common architecture
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
