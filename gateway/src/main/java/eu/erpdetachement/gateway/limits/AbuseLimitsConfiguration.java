package eu.erpdetachement.gateway.limits;

import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import eu.erpdetachement.gateway.edge.ClientAddresses;
import eu.erpdetachement.platform.problem.ProblemResponses;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import tools.jackson.databind.json.JsonMapper;

/** The abuse limits and their shared store (gateway schema, Flyway V1). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AbuseLimitsProperties.class)
@EnableScheduling
public class AbuseLimitsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AbuseLimitsConfiguration.class);

    @Bean
    PostgreSQLSelectForUpdateBasedProxyManager<String> bucketStore(DataSource dataSource) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("gateway.rate_limit_bucket")
                .idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                // a bucket that has refilled completely holds no information: its row may go
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build();
    }

    @Bean
    AbuseLimitsFilter abuseLimitsFilter(PostgreSQLSelectForUpdateBasedProxyManager<String> store,
            AbuseLimitsProperties properties, ClientAddresses clientAddresses, ProblemResponses problems, JsonMapper json) {
        return new AbuseLimitsFilter(new SharedBuckets(store), properties, clientAddresses, problems, json);
    }

    @Bean
    ExpiredBucketSweeper expiredBucketSweeper(PostgreSQLSelectForUpdateBasedProxyManager<String> store) {
        return new ExpiredBucketSweeper(store);
    }

    /** Deletes rows of buckets that are full again (any instance may; the delete is idempotent). */
    static final class ExpiredBucketSweeper {

        private final PostgreSQLSelectForUpdateBasedProxyManager<String> store;

        ExpiredBucketSweeper(PostgreSQLSelectForUpdateBasedProxyManager<String> store) {
            this.store = store;
        }

        @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${erp.gateway.limits.sweep-interval:PT10M}")
        void sweep() {
            try {
                int removed;
                do {
                    removed = store.removeExpired(1000);
                } while (removed == 1000);
            } catch (RuntimeException e) {
                log.warn("Could not remove expired rate-limit buckets: {}", e.toString());
            }
        }
    }
}
