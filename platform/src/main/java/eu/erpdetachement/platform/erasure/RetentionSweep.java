package eu.erpdetachement.platform.erasure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import eu.erpdetachement.platform.scheduling.PeriodicSweep;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import reactor.core.publisher.Mono;

/**
 * Deletes the retained records of erased people once the tenant's {@code records_retention_months}
 * ended, tenant after tenant, batch after batch (every batch its own short transaction, so no lock
 * is held long). Runs every {@link ErasureProperties#retentionSweepInterval()} while the service runs.
 */
public class RetentionSweep extends PeriodicSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final ErasedUsers erased;
    private final TenantSettingsView settings;
    private final RetainedRecords records;
    private final Clock clock;
    private final ErasureProperties properties;

    public RetentionSweep(ErasedUsers erased, TenantSettingsView settings, RetainedRecords records, Clock clock,
            ErasureProperties properties) {
        this.erased = erased;
        this.settings = settings;
        this.records = records;
        this.clock = clock;
        this.properties = properties;
    }

    /** The first instant still inside the retention: records whose retention clock started before it are due. */
    public static Instant cutoff(Instant now, int retentionMonths) {
        return now.atOffset(ZoneOffset.UTC).minusMonths(retentionMonths).toInstant();
    }

    /** Deletes every due record of every tenant; answers how many units. */
    public Mono<Long> sweep() {
        Instant now = clock.instant();
        int batch = properties.retentionSweepBatchSize();
        return erased.tenants().concatMap(tenant -> retentionMonths(tenant)
                        .flatMap(months -> {
                            Instant cutoff = cutoff(now, months);
                            return records.deleteBatch(tenant, cutoff, batch)
                                    .expand(deleted -> deleted == batch ? records.deleteBatch(tenant, cutoff, batch) : Mono.empty())
                                    .reduce(0L, Long::sum);
                        }))
                .reduce(0L, Long::sum);
    }

    private Mono<Integer> retentionMonths(UUID tenant) {
        return settings.settings(tenant)
                .filter(s -> s.hasNonNull(RecordsRetention.SETTING))
                .map(s -> s.get(RecordsRetention.SETTING).asInt())
                .defaultIfEmpty(RecordsRetention.defaultMonths());
    }

    @Override
    protected Mono<Long> runOnce() {
        return sweep();
    }

    @Override
    protected Duration interval() {
        return properties.retentionSweepInterval();
    }

    @Override
    protected void report(long count) {
        log.info("Retention sweep deleted {} {} of erased people", count, records.name());
    }

    @Override
    protected String name() {
        return "Retention sweep of " + records.name();
    }
}
