package eu.erpdetachement.platform.erasure;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

/**
 * Records of erased people that a service keeps, pseudonymised, because labour law requires them
 * (docs/data-protection.md). The {@link RetentionSweep} asks the service to delete those whose
 * retention ended, one bounded batch at a time.
 */
public interface RetainedRecords {

    /** What these records are, for the sweep's log line. */
    String name();

    /**
     * Deletes at most {@code batchSize} units (a whole chain, a file) of the tenant's erased people
     * whose retention ended before {@code cutoff}, in one short transaction; answers how many units.
     */
    Mono<Long> deleteBatch(UUID tenantId, Instant cutoff, int batchSize);
}
