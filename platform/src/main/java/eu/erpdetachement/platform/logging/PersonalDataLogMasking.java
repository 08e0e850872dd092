package eu.erpdetachement.platform.logging;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.json.WritableJson;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.env.Environment;

/**
 * The one masking step of every service's log pipeline (decision 0028): applied by Spring Boot's
 * structured logging (ecs, logstash, gelf; registered in META-INF/spring.factories) to every string
 * value it writes — the message, the exception's message and stack trace with its causes, MDC entries
 * and key-value pairs — before the line leaves the process.
 */
public class PersonalDataLogMasking implements StructuredLoggingJsonMembersCustomizer<Object> {

    static final String KEY_PROPERTY = "erp.logging.mask-key";

    private final PersonalDataMask mask;

    public PersonalDataLogMasking(Environment environment) {
        String key = environment == null ? null : environment.getProperty(KEY_PROPERTY);
        this.mask = new PersonalDataMask(key == null || key.isBlank() ? PersonalDataMask.DEFAULT_KEY : key);
    }

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(new MaskingValues(mask));
    }

    private record MaskingValues(PersonalDataMask mask) implements JsonWriter.ValueProcessor<Object> {

        @Override
        public Object processValue(JsonWriter.MemberPath path, Object value) {
            if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Map
                    || (value instanceof Iterable && !(value instanceof Path)) || value.getClass().isArray() || value instanceof WritableJson) {
                return value; // the strings inside a map or list are offered to this processor one by one
            }
            // a string, or an object the writer would write as its toString()
            return mask.maskField(path == null ? null : path.name(), value.toString());
        }
    }
}
