package eu.erpdetachement.platform.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long idempotency keys are kept and how they are purged.
 *
 * @param retention      a key older than this is deleted; a retry after it is a new request
 * @param purgeInterval  how often the purge runs
 * @param purgeBatchSize rows deleted per statement
 */
@ConfigurationProperties("erp.idempotency")
public record IdempotencyProperties(Duration retention, Duration purgeInterval, Integer purgeBatchSize) {

    public IdempotencyProperties {
        retention = retention == null ? Duration.ofHours(24) : retention;
        purgeInterval = purgeInterval == null ? Duration.ofMinutes(10) : purgeInterval;
        purgeBatchSize = purgeBatchSize == null ? 1000 : purgeBatchSize;
        if (retention.isNegative() || retention.isZero() || purgeInterval.isNegative() || purgeInterval.isZero()
                || purgeBatchSize < 1) {
            throw new IllegalArgumentException("erp.idempotency: retention and purge-interval must be positive, "
                    + "purge-batch-size at least 1");
        }
    }
}
