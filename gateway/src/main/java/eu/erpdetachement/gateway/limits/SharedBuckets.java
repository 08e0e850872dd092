package eu.erpdetachement.gateway.limits;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * Token buckets kept in PostgreSQL (gateway.rate_limit_bucket), so every gateway instance counts
 * against the same limits. Blocking JDBC: callers run these on a blocking-friendly scheduler.
 * A bucket's key names its limit ("login-ip|30/PT1M|203.0.113.7"): changing a limit starts afresh.
 */
class SharedBuckets {

    private final ProxyManager<String> store;
    private final ConcurrentMap<Limit, BucketConfiguration> configurations = new ConcurrentHashMap<>();

    SharedBuckets(ProxyManager<String> store) {
        this.store = store;
    }

    /** Takes one token; answers zero when taken, else how long until one is there. */
    Duration take(String name, Limit limit, String subject) {
        var probe = bucket(name, limit, subject).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Zero when a token is there (without taking it), else how long until one is. */
    Duration waitForOne(String name, Limit limit, String subject) {
        var probe = bucket(name, limit, subject).estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Takes one token even when none is left: the debt delays the next token further. */
    void charge(String name, Limit limit, String subject) {
        bucket(name, limit, subject).consumeIgnoringRateLimits(1);
    }

    private BucketProxy bucket(String name, Limit limit, String subject) {
        BucketConfiguration configuration = configurations.computeIfAbsent(limit, l -> BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(l.count()).refillGreedy(l.count(), l.period()).build())
                .build());
        return store.builder().build(name + "|" + limit + "|" + subject, () -> configuration);
    }
}
