package eu.erpdetachement.platform.revocation;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import eu.erpdetachement.platform.kafka.RecordProjection;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Reads erp.identity.user.v1 into the caller state tables ({@link UserEventsProjection}). */
public class UserEventsConsumer implements RecordProjection {

    public static final String TOPIC = "erp.identity.user.v1";

    private final UserEventsProjection projection;
    private final JsonMapper json;

    public UserEventsConsumer(UserEventsProjection projection, JsonMapper json) {
        this.projection = projection;
        this.json = json;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    /** The projection reads the event's fields as it assembles its write: a missing or malformed one throws here. */
    @Override
    public Mono<Void> change(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader("ce_type");
        return projection.apply(type == null ? null : new String(type.value(), StandardCharsets.UTF_8), json.readTree(record.value()));
    }
}
