package eu.erpdetachement.gateway.limits;

import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;

/**
 * "{@code count}/{@code period}", e.g. {@code 3/15m}: a burst of {@code count}, then {@code count}
 * more spread evenly over each {@code period} (a token bucket refilled greedily).
 */
public record Limit(long count, Duration period) {

    public Limit {
        if (count < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A limit needs a count ≥ 1 and a positive period");
        }
    }

    public static Limit parse(String text) {
        String[] parts = text.trim().split("/", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("Expected count/period (e.g. 3/15m), got: " + text);
        }
        return new Limit(Long.parseLong(parts[0].trim()), DurationStyle.detectAndParse(parts[1].trim()));
    }

    @Override
    public String toString() {
        return count + "/" + period;
    }
}
