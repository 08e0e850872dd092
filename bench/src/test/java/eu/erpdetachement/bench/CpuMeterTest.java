package eu.erpdetachement.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void cpuTimeIsDividedByTheRequestsSent() {
        assertThat(CpuMeter.msPerRequest(3_000_000_000L, 1_500)).isEqualTo(2.0);
        assertThat(CpuMeter.msPerRequest(250_000L, 1)).isEqualTo(0.25);
    }

    @Test
    void withoutRequestsThereIsNoFigure() {
        assertThat(CpuMeter.msPerRequest(1_000_000L, 0)).isNaN();
        assertThat(CpuMeter.format(Double.NaN)).isEqualTo("–");
    }

    @Test
    void smallFiguresKeepADigitMore() {
        assertThat(CpuMeter.format(1.234)).isEqualTo("1.23");
        assertThat(CpuMeter.format(0.0123)).isEqualTo("0.012");
    }

    @Test
    void readsUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
        // fields 14-17: utime 150, stime 50, cutime 30, cstime 20 (ticks of 1/100 s)
        String stat = "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 1000 0 0 0 150 50 30 20 20 0 1 0 100 0 0";
        assertThat(CpuMeter.cpuNanos(stat, 100, false)).isEqualTo(2_000_000_000L);
        assertThat(CpuMeter.cpuNanos(stat, 100, true)).isEqualTo(2_500_000_000L);
    }
}
