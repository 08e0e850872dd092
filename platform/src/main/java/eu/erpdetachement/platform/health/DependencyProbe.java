package eu.erpdetachement.platform.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether a dependency answers, as this service sees it: {@code erp_dependency_up{dependency}} is 1
 * after a check that succeeded, 0 after one that failed or timed out. The check runs on its own
 * schedule, never on a scrape, so a dead dependency cannot slow Prometheus down. The alert
 * DependencyUnreachable reads it (docs/operations.md).
 */
public class DependencyProbe implements SmartLifecycle {

    public static final String METRIC = "erp.dependency.up";
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String dependency;
    private final Supplier<Mono<?>> check;
    private final AtomicInteger up = new AtomicInteger(0);
    private volatile Disposable schedule;

    public DependencyProbe(MeterRegistry registry, String dependency, Supplier<Mono<?>> check) {
        this.dependency = dependency;
        this.check = check;
        Gauge.builder(METRIC, up, AtomicInteger::get).tag("dependency", dependency)
                .description("1 while the dependency answered this service's last check").register(registry);
    }

    /** Runs one check and records its outcome; answers whether the dependency answered. */
    public Mono<Boolean> probe() {
        return Mono.defer(check).timeout(TIMEOUT).thenReturn(true).onErrorReturn(false)
                .doOnNext(answered -> up.set(answered ? 1 : 0));
    }

    public String dependency() {
        return dependency;
    }

    @Override
    public void start() {
        schedule = Flux.interval(Duration.ZERO, INTERVAL).onBackpressureDrop().concatMap(tick -> probe()).subscribe();
    }

    @Override
    public void stop() {
        Disposable current = schedule;
        schedule = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
