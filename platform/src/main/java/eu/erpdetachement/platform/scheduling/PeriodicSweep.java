package eu.erpdetachement.platform.scheduling;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A clean-up that runs every {@link #interval()} while the service runs, one run at a time, each cut
 * at the interval; a failed run is logged and the next one tries again. What a run did is reported
 * when it did anything.
 */
public abstract class PeriodicSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSweep.class);

    private volatile Disposable running;

    /** One run; answers how much it deleted. */
    protected abstract Mono<Long> runOnce();

    protected abstract Duration interval();

    /** Logs a run that deleted {@code count} (called only when positive). */
    protected abstract void report(long count);

    /** What this sweep is, for the failure log line. */
    protected abstract String name();

    @Override
    public void start() {
        Duration interval = interval();
        running = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> runOnce()
                        .timeout(interval)
                        .doOnNext(n -> {
                            if (n > 0) {
                                report(n);
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("{} failed: {}", name(), e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
