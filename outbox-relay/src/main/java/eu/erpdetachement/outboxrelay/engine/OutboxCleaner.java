package eu.erpdetachement.outboxrelay.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import eu.erpdetachement.outboxrelay.config.RelayProperties;

/**
 * Deletes outbox rows once Kafka has acknowledged them, in the background and in batches, so the
 * tables stay small. Deletes are not captured (the connector skips them). A row whose delete is
 * lost is harmless: it was published already and is only reread if the slot is rewound.
 */
@Component
public class OutboxCleaner {

    private static final Logger log = LoggerFactory.getLogger(OutboxCleaner.class);

    private final RelayProperties relay;
    private final Map<String, ConcurrentLinkedQueue<UUID>> published = new ConcurrentHashMap<>();

    public OutboxCleaner(RelayProperties relay) {
        this.relay = relay;
    }

    /** {@code erp.checkin.worker-check-event.v1} was published from {@code checkin.outbox}. */
    void acknowledged(String topic, UUID eventId) {
        String[] parts = topic.split("\\.");
        if (parts.length > 1 && relay.outboxTables().contains(parts[1] + ".outbox")) {
            published.computeIfAbsent(parts[1] + ".outbox", t -> new ConcurrentLinkedQueue<>()).add(eventId);
        }
    }

    @Scheduled(fixedDelayString = "${erp.relay.cleanup-interval:PT1S}")
    void deletePublished() {
        published.forEach((table, queue) -> {
            List<UUID> ids = new ArrayList<>();
            for (UUID id = queue.poll(); id != null && ids.size() < 5000; id = queue.poll()) {
                ids.add(id);
            }
            if (ids.isEmpty()) {
                return;
            }
            try (Connection c = DriverManager.getConnection(relay.db().jdbcUrl(), relay.db().user(), relay.db().password());
                    PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY (?)")) {
                delete.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                delete.executeUpdate();
            } catch (SQLException e) {
                log.warn("Could not delete {} published rows from {}: {}", ids.size(), table, e.getMessage());
                queue.addAll(ids);
            }
        });
    }
}
