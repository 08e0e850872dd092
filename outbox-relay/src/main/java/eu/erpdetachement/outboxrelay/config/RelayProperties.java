package eu.erpdetachement.outboxrelay.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the relay captures and where it publishes.
 *
 * @param kafkaBootstrapServers the Kafka cluster
 * @param db                    PostgreSQL, as the relay's role (REPLICATION, member of the service roles)
 * @param outboxTables          every service's outbox, schema-qualified
 * @param slotName              the one logical replication slot the relay reads
 * @param publication           the publication every service adds its outbox to (deploy/postgres/init.sql)
 * @param heartbeatInterval     keeps the slot advancing while the outbox tables are idle, so WAL is freed
 * @param standbyRetry          how often a standby instance tries to become the active one
 * @param maxBatchSize          most outbox rows sent before the relay waits for Kafka's acknowledgements
 * @param recoveryAfter         a row still in an outbox this long after it was written is published again
 * @param recoveryInterval      how often the active relay looks for such rows
 * @param monitorInterval       how often every instance measures the outboxes' backlog and the slot
 * @param leaderTakeoverAfter   a standby ends an active relay whose heartbeat is older than this and takes over
 */
@ConfigurationProperties("erp.relay")
public record RelayProperties(String kafkaBootstrapServers, Db db, List<String> outboxTables, String slotName,
        String publication, Duration heartbeatInterval, Duration standbyRetry, Integer maxBatchSize,
        Duration recoveryAfter, Duration recoveryInterval, Duration monitorInterval, Duration leaderTakeoverAfter) {

    public RelayProperties {
        outboxTables = outboxTables == null || outboxTables.isEmpty()
                ? List.of("identity.outbox", "files.outbox", "checkin.outbox") : List.copyOf(outboxTables);
        slotName = slotName == null ? "erp_outbox" : slotName;
        publication = publication == null ? "erp_outbox" : publication;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(10) : heartbeatInterval;
        standbyRetry = standbyRetry == null ? Duration.ofSeconds(2) : standbyRetry;
        maxBatchSize = maxBatchSize == null ? 8192 : maxBatchSize;
        recoveryAfter = recoveryAfter == null ? Duration.ofMinutes(5) : recoveryAfter;
        recoveryInterval = recoveryInterval == null ? Duration.ofMinutes(1) : recoveryInterval;
        monitorInterval = monitorInterval == null ? Duration.ofSeconds(10) : monitorInterval;
        leaderTakeoverAfter = leaderTakeoverAfter == null ? Duration.ofSeconds(15) : leaderTakeoverAfter;
    }

    public record Db(String host, int port, String name, String user, String password) {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + name;
        }
    }
}
