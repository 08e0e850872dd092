package eu.erpdetachement.platform.json;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * What request bodies must be, beyond what {@code spring.jackson.*} properties can say (those are in
 * erp-platform.yml: unknown fields, floats for integers, scalar coercion, trailing tokens): a member
 * name appears once in an object (RFC 8259 interchange; "last wins" would let a proxy and a service
 * read two different requests), and no string holds a NUL character (PostgreSQL text and jsonb cannot
 * store it; nothing in this API needs it) or half of a surrogate pair (not Unicode: it cannot be
 * encoded as UTF-8, and an S3 key escaper failed on one as a 500). Both are client errors: 400 and 422 problems.
 */
public final class StrictJson implements JsonMapperBuilderCustomizer {

    @Override
    public void customize(JsonMapper.Builder builder) {
        apply(builder);
    }

    /** The same rules on any builder (tests, mappers built by hand). */
    public static JsonMapper.Builder apply(JsonMapper.Builder builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // "" is not a missing UUID, number or enum: a 422, not a silent null
                .withCoercionConfigDefaults(config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .addModule(new SimpleModule("erp-strict-strings").addDeserializer(String.class, new StorableStrings()));
    }

    /**
     * Strings as Jackson reads them, refused when they hold U+0000 or a lone surrogate ("\ud800"), or
     * when the JSON value is a number or a boolean (Jackson would take {@code 1.9} as the text "1.9").
     */
    static final class StorableStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != null && p.currentToken().isScalarValue() && !p.hasToken(JsonToken.VALUE_STRING)
                    && !p.hasToken(JsonToken.VALUE_NULL)) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            String value = super.deserialize(p, ctxt);
            if (value != null && !JsonText.isStorable(value)) {
                throw ctxt.weirdStringException(value, String.class, "must be Unicode text without NUL characters");
            }
            return value;
        }
    }
}
