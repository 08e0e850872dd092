package eu.erpdetachement.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LimitTest {

    @Test
    void a_limit_reads_as_count_per_period() {
        assertThat(Limit.parse("3/15m")).isEqualTo(new Limit(3, Duration.ofMinutes(15)));
        assertThat(Limit.parse(" 10 / PT1H ")).isEqualTo(new Limit(10, Duration.ofHours(1)));
        assertThat(Limit.parse("3/15m").toString()).isEqualTo("3/PT15M");
    }

    @Test
    void a_limit_without_a_count_or_a_period_is_refused_at_start() {
        assertThatThrownBy(() -> Limit.parse("3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.parse("0/1m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.parse("3/0s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.parse("x/1m")).isInstanceOf(IllegalArgumentException.class);
    }
}
