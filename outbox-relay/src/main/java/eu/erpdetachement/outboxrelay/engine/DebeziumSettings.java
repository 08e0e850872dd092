package eu.erpdetachement.outboxrelay.engine;

import java.util.Properties;

import eu.erpdetachement.outboxrelay.config.RelayProperties;

/** The Debezium engine's configuration: one pgoutput slot over every outbox, the Outbox Event Router, offsets in PostgreSQL. */
final class DebeziumSettings {

    static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";
    static final String OFFSETS_TABLE = "relay_offsets";
    /** The relay's own outbox: it holds only heartbeat rows, never published (see OutboxRelay#publish). */
    static final String HEARTBEAT_OUTBOX = "relay.outbox";
    static final String HEARTBEAT_ROW_TOPIC = "erp.relay.heartbeat.v1";
    /**
     * JDBC URL parameter for the relay's per-batch writes (the delete of published rows, the offsets):
     * their commits do not wait for the WAL flush. Both follow Kafka's acknowledgement, so a commit
     * lost in a crash only publishes rows again (consumers deduplicate on {@code ce_id}); it never
     * loses one. It took two disk flushes out of every batch's path to Kafka (docs/performance.md).
     */
    static final String NO_FLUSH_WAIT = "options=-c%20synchronous_commit%3Doff";

    private DebeziumSettings() {
    }

    static Properties of(RelayProperties relay) {
        RelayProperties.Db db = relay.db();
        Properties p = new Properties();
        p.setProperty("name", "erp-outbox-relay");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", "erp");

        // offsets, durably, in the relay's own schema; committed only after Kafka acknowledged
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", db.jdbcUrl() + "?currentSchema=relay&" + NO_FLUSH_WAIT);
        p.setProperty("offset.storage.jdbc.connection.user", db.user());
        p.setProperty("offset.storage.jdbc.connection.password", db.password());
        // must be unqualified: a qualified name is not found again after a restart (guide, pitfalls)
        p.setProperty("offset.storage.jdbc.table.name", OFFSETS_TABLE);
        p.setProperty("offset.flush.interval.ms", "0");

        p.setProperty("database.hostname", db.host());
        p.setProperty("database.port", Integer.toString(db.port()));
        p.setProperty("database.user", db.user());
        p.setProperty("database.password", db.password());
        p.setProperty("database.dbname", db.name());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", relay.slotName());
        // the publication and the slot are made by deploy/postgres/init.sql, and every service adds its
        // own outbox to the publication when it migrates: the relay never shapes them (decision 0018)
        p.setProperty("publication.name", relay.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", String.join(",", relay.outboxTables()) + "," + HEARTBEAT_OUTBOX);
        p.setProperty("snapshot.mode", "no_data");
        // only inserts are events; the relay's own clean-up deletes must not come back
        p.setProperty("skipped.operations", "u,d,t");
        // the poll interval is both the streaming loop's pause when the slot is idle and the longest a
        // batch waits to fill up: it is the floor of commit-to-Kafka latency (decision 0010)
        p.setProperty("poll.interval.ms", Long.toString(relay.pollInterval().toMillis()));
        // larger batches amortise the per-batch wait for Kafka's acks and the offset commit
        p.setProperty("max.batch.size", Integer.toString(relay.maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(relay.maxBatchSize() * 4));
        p.setProperty("heartbeat.interval.ms", Long.toString(relay.heartbeatInterval().toMillis()));
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_TOPIC_PREFIX);
        // a row in a published table at every heartbeat: while the services are idle the slot still
        // confirms its position, so WAL is freed and the outbox recovery can tell what was never
        // delivered (decision 0018); the row is deleted, never published
        p.setProperty("heartbeat.action.query", "INSERT INTO " + HEARTBEAT_OUTBOX
                + " (id, aggregatetype, aggregateid, type, tenant_id, payload) VALUES (gen_random_uuid(), 'relay.heartbeat', "
                + "'relay', 'RelayHeartbeat', '00000000-0000-0000-0000-000000000000', '{}')");

        // the Outbox Event Router: topic erp.<aggregatetype>.v1, key = aggregateid, value = payload
        p.setProperty("transforms", "outbox");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.route.by.field", "aggregatetype");
        p.setProperty("transforms.outbox.route.topic.replacement", "erp.${routedByValue}.v1");
        p.setProperty("transforms.outbox.table.field.event.key", "aggregateid");
        // the payload goes out as the JSON text the service stored: expanding it into a Connect
        // struct would infer a schema from it and drop null fields (a contract violation)
        p.setProperty("transforms.outbox.table.expand.json.payload", "false");
        p.setProperty("transforms.outbox.table.fields.additional.placement",
                "type:header:ce_type,tenant_id:header:ce_tenantid,occurred_at:header:ce_time,traceparent:header:traceparent");
        // the trace context column (decision 0021) is absent from the relay's heartbeat outbox and from an
        // outbox whose service has not migrated to it yet: such rows go out without the header
        p.setProperty("transforms.outbox.table.fields.additional.error.on.missing", "false");
        // no converters: the engine hands over the routed records as they are (OutboxRelay, RoutedRecord), so
        // no header is rendered as JSON only to be parsed back, and no key or value is serialised twice
        return p;
    }
}
