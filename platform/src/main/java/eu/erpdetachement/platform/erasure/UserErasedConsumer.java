package eu.erpdetachement.platform.erasure;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import eu.erpdetachement.platform.kafka.RecordProjection;
import eu.erpdetachement.platform.revocation.UserEventsConsumer;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Hands the UserErased events of erp.identity.user.v1 to the service's {@link ErasingUser}; skips the others. */
public class UserErasedConsumer implements RecordProjection {

    public static final String TYPE = "UserErased";

    private final ErasingUser erasing;
    private final JsonMapper json;

    public UserErasedConsumer(ErasingUser erasing, JsonMapper json) {
        this.erasing = erasing;
        this.json = json;
    }

    @Override
    public String topic() {
        return UserEventsConsumer.TOPIC;
    }

    @Override
    public Mono<Void> change(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader("ce_type");
        if (type == null || !TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return Mono.empty();
        }
        return erasing.erase(UserErased.of(json.readTree(record.value())));
    }
}
