package eu.erpdetachement.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;

class DependencyProbeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final DependencyProbe probe = new DependencyProbe(registry, "keycloak",
            () -> answering.get() ? Mono.just("ok") : Mono.error(new IllegalStateException("connection refused")));

    private double up() {
        return registry.get(DependencyProbe.METRIC).tag("dependency", "keycloak").gauge().value();
    }

    @Test
    void the_gauge_follows_the_last_check() {
        assertThat(up()).as("before any check").isZero();
        assertThat(probe.probe().block()).isTrue();
        assertThat(up()).isEqualTo(1);

        answering.set(false);
        assertThat(probe.probe().block()).isFalse();
        assertThat(up()).isZero();
    }

    @Test
    void a_check_that_throws_before_answering_counts_as_down() {
        DependencyProbe throwing = new DependencyProbe(registry, "s3", () -> {
            throw new IllegalStateException("no client");
        });
        assertThat(throwing.probe().block()).isFalse();
        assertThat(registry.get(DependencyProbe.METRIC).tag("dependency", "s3").gauge().value()).isZero();
    }
}
