package eu.erpdetachement.platform.json;

import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;

/**
 * For an optional string field that may be left out but not sent as {@code null} (the contract
 * types it as a string): left out, the record gets null and the service its default; an explicit
 * null is refused like a wrong type. {@code @JsonSetter(nulls = FAIL)} refuses both.
 */
public class OptionalButNotNull extends StringDeserializer {

    @Override
    public Object getNullValue(DeserializationContext ctxt) {
        return ctxt.reportInputMismatch(this, "must be a string when present, not null");
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
        return null;
    }
}
