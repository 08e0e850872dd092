package eu.erpdetachement.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples of a JFR recording: the share of samples whose stack contains each
 * category's frames (inclusive, so shares overlap), and the hottest methods inclusive and exclusive.
 * <pre>java -cp bench/target/classes eu.erpdetachement.bench.ProfileSummary recording.jfr [from-epoch-ms to-epoch-ms]</pre>
 */
public final class ProfileSummary {

    /** Frame prefixes by category, in report order. */
    private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("context propagation (micrometer context, reactor thread-local restore)",
                List.of("io.micrometer.context.", "reactor.core.publisher.ContextPropagation", "reactor.core.publisher.FluxContextWriteRestoringThreadLocals", "reactor.core.publisher.MonoContextWriteRestoringThreadLocals"));
        CATEGORIES.put("observation / metrics / tracing", List.of("io.micrometer.observation.", "io.micrometer.core.",
                "io.micrometer.tracing.", "io.opentelemetry.", "org.springframework.http.server.reactive.observation",
                "org.springframework.web.filter.reactive.ServerHttpObservationFilter"));
        CATEGORIES.put("logging", List.of("ch.qos.logback.", "org.slf4j.", "org.springframework.boot.logging."));
        CATEGORIES.put("spring security", List.of("org.springframework.security."));
        CATEGORIES.put("jwt (nimbus)", List.of("com.nimbusds."));
        CATEGORIES.put("jackson", List.of("tools.jackson.", "com.fasterxml.jackson."));
        CATEGORIES.put("r2dbc postgresql driver", List.of("io.r2dbc.postgresql."));
        CATEGORIES.put("r2dbc pool", List.of("io.r2dbc.pool.", "reactor.pool."));
        CATEGORIES.put("spring r2dbc / transactions", List.of("org.springframework.r2dbc.", "org.springframework.transaction."));
        CATEGORIES.put("spring webflux dispatch", List.of("org.springframework.web.reactive.", "org.springframework.web.server."));
        CATEGORIES.put("spring cloud gateway", List.of("org.springframework.cloud.gateway."));
        CATEGORIES.put("reactor netty http", List.of("reactor.netty."));
        CATEGORIES.put("netty", List.of("io.netty."));
        CATEGORIES.put("kafka client", List.of("org.apache.kafka."));
        CATEGORIES.put("debezium", List.of("io.debezium."));
        CATEGORIES.put("jit/class loading (jar lookups)", List.of("org.springframework.boot.loader.", "java.lang.ClassLoader",
                "jdk.internal.loader."));
        CATEGORIES.put("project code", List.of("eu.erpdetachement."));
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Instant from = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[1])) : Instant.MIN;
        Instant to = args.length > 2 ? Instant.ofEpochMilli(Long.parseLong(args[2])) : Instant.MAX;
        Map<String, Integer> byCategory = new HashMap<>();
        Map<String, Integer> innermost = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> exclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        int truncated = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                    continue;
                }
                samples++;
                if (event.getStackTrace().isTruncated()) {
                    truncated++;
                }
                var thread = event.getThread("sampledThread");
                threads.merge(thread == null ? "?" : thread.getJavaName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                java.util.Set<String> seenCategories = new java.util.HashSet<>();
                innermost.merge(innermostCategory(frames), 1, Integer::sum);
                java.util.Set<String> seenMethods = new java.util.HashSet<>();
                for (int i = 0; i < frames.size(); i++) {
                    RecordedFrame frame = frames.get(i);
                    String type = frame.getMethod().getType().getName();
                    String method = type + "." + frame.getMethod().getName();
                    if (i == 0) {
                        exclusive.merge(method, 1, Integer::sum);
                    }
                    if (seenMethods.add(method)) {
                        inclusive.merge(method, 1, Integer::sum);
                    }
                    for (var category : CATEGORIES.entrySet()) {
                        if (!seenCategories.contains(category.getKey())
                                && category.getValue().stream().anyMatch(type::startsWith)) {
                            seenCategories.add(category.getKey());
                            byCategory.merge(category.getKey(), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        System.out.printf("%s: %d CPU samples (%d with truncated stacks)%n%n", file.getFileName(), samples, truncated);
        System.out.println("| category | innermost (self) | inclusive |\n|---|---|---|");
        for (String category : CATEGORIES.keySet()) {
            System.out.printf("| %s | %.1f %% | %.1f %% |%n", category, 100.0 * innermost.getOrDefault(category, 0) / samples,
                    100.0 * byCategory.getOrDefault(category, 0) / samples);
        }
        System.out.printf("| reactor-core operators (no category above them) | %.1f %% | |%n",
                100.0 * innermost.getOrDefault(REACTOR, 0) / samples);
        System.out.printf("| JDK / other | %.1f %% | |%n", 100.0 * innermost.getOrDefault(OTHER, 0) / samples);
        System.out.println("\ninnermost: a sample counts once, for the first categorised frame from the top of its stack"
                + " (JDK frames count for their caller); inclusive: in every category on its stack, so wrappers"
                + " (context restoring, observation) count for the work they wrap.");
        print("threads", threads, samples, 10);
        print("hottest methods, inclusive", inclusive, samples, 60);
        print("hottest methods, exclusive", exclusive, samples, 25);
    }

    private static final String REACTOR = "reactor-core";
    private static final String OTHER = "other";

    private static String innermostCategory(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (var category : CATEGORIES.entrySet()) {
                if (category.getValue().stream().anyMatch(type::startsWith)) {
                    return category.getKey();
                }
            }
            if (type.startsWith("reactor.core.") || type.startsWith("reactor.util.")) {
                return REACTOR;
            }
        }
        return OTHER;
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int limit) {
        System.out.printf("%n%s:%n", title);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        sorted.stream().limit(limit).forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
