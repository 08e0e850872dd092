package eu.erpdetachement.platform.revocation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import eu.erpdetachement.platform.kafka.ProjectionConsumer;
import tools.jackson.databind.json.JsonMapper;

/** Reads erp.identity.user.v1 into the caller state tables ({@link UserEventsProjection}). */
public class UserEventsConsumer extends ProjectionConsumer {

    public static final String TOPIC = "erp.identity.user.v1";

    private final UserEventsProjection projection;
    private final JsonMapper json;

    public UserEventsConsumer(UserEventsProjection projection, JsonMapper json, String bootstrapServers, String groupId) {
        super(TOPIC, "user-events-consumer", bootstrapServers, groupId);
        this.projection = projection;
        this.json = json;
    }

    @Override
    protected void apply(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        projection.apply(type == null ? null : new String(type.value(), StandardCharsets.UTF_8), json.readTree(record.value()))
                .block(Duration.ofSeconds(30));
    }
}
