package eu.erpdetachement.platform.erasure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the records of erased people are swept once their retention ended (docs/data-protection.md).
 *
 * @param retentionSweepInterval  how often the sweep runs
 * @param retentionSweepBatchSize records (chains, files) deleted per statement, so that no statement holds many locks
 */
@ConfigurationProperties("erp.erasure")
public record ErasureProperties(Duration retentionSweepInterval, Integer retentionSweepBatchSize) {

    public ErasureProperties {
        retentionSweepInterval = retentionSweepInterval == null ? Duration.ofHours(1) : retentionSweepInterval;
        retentionSweepBatchSize = retentionSweepBatchSize == null ? 100 : retentionSweepBatchSize;
        if (retentionSweepInterval.isNegative() || retentionSweepInterval.isZero() || retentionSweepBatchSize < 1) {
            throw new IllegalArgumentException("erp.erasure: retention-sweep-interval must be positive, "
                    + "retention-sweep-batch-size at least 1");
        }
    }
}
