package eu.erpdetachement.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;

/** Closed-loop HTTP load: N workers each send one request at a time for a fixed duration. */
final class HttpLoad {

    /** {@code requests}: every request sent over the run, answered as expected or not (what CPU time is divided by). */
    record Result(String target, int concurrency, long requests, double requestsPerSecond, double p50Ms, double p99Ms,
            long errors) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HttpLoad() {
    }

    /**
     * Each request records a check-in of {@code worker} (an active worker of the tenant) on a new
     * mission, hence a new chain, so no request conflicts with another.
     */
    static Result checkIns(String target, String baseUrl, Supplier<String> token, UUID worker, int concurrency,
            Duration duration) throws InterruptedException {
        return checkIns(target, java.util.List.of(baseUrl), token, worker, concurrency, duration);
    }

    /** The same, each request sent to the next of {@code baseUrls} in turn (client-side round-robin). */
    static Result checkIns(String target, java.util.List<String> baseUrls, Supplier<String> token, UUID worker,
            int concurrency, Duration duration) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        return run(target, concurrency, duration, 201, () -> {
            String baseUrl = baseUrls.get((int) (next.getAndIncrement() % baseUrls.size()));
            String body = "{\"worker_id\":\"" + worker + "\",\"event_type\":\"check_in\",\"occurred_at\":\""
                    + Instant.now().minusSeconds(5) + "\",\"source\":\"api\",\"metadata\":{\"bench\":true}}";
            return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/missions/" + UUID.randomUUID() + "/worker-check-events"))
                    .header("Authorization", "Bearer " + token.get()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        });
    }

    /** N workers each send the next request as soon as the previous one was answered; only {@code expected} counts. */
    static Result run(String target, int concurrency, Duration duration, int expected, Supplier<HttpRequest> requests)
            throws InterruptedException {
        ConcurrentHistogram latencies = new ConcurrentHistogram(3);
        AtomicLong errors = new AtomicLong();
        Instant end = Instant.now().plus(duration);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        for (int w = 0; w < concurrency; w++) {
            workers.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    HttpRequest request = requests.get();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == expected) {
                            latencies.recordValue((System.nanoTime() - start) / 1000);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            });
        }
        workers.shutdown();
        workers.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS);
        return new Result(target, concurrency, latencies.getTotalCount() + errors.get(),
                latencies.getTotalCount() / (double) duration.toSeconds(),
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0, errors.get());
    }
}
