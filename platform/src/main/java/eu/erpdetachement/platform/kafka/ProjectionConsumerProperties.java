package eu.erpdetachement.platform.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the projection consumers retry a record they failed to apply (a database error, a timeout):
 * exponential backoff from {@code retryInitialInterval}, at most {@code retryMaxInterval} apart,
 * for {@code retryMaxElapsed} in all; then the record goes to the dead-letter topic. Unreadable
 * records are not retried.
 */
@ConfigurationProperties("erp.kafka.consumer")
public record ProjectionConsumerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("PT1S") Duration retryInitialInterval,
        @DefaultValue("PT30S") Duration retryMaxInterval,
        @DefaultValue("PT10M") Duration retryMaxElapsed,
        @DefaultValue("PT30S") Duration applyTimeout) {
}
