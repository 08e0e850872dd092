package eu.erpdetachement.platform.json;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON with object keys sorted at every level and numbers in one plain form, so the same content
 * always has the same text: what the hash chain and idempotency fingerprints are computed over.
 * PostgreSQL's jsonb reorders keys and renders numbers as {@code numeric} does ({@code 1.0E7} comes
 * back as {@code 10000000.0}, {@code -0.0} as {@code 0.0}, {@code 1e21} in full), so every number is
 * written as its value without exponent, trailing zeros or a negative zero.
 */
public final class CanonicalJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(tools.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private CanonicalJson() {
    }

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(sorted(node));
    }

    public static String canonicalize(String json) {
        return write(MAPPER.readTree(json));
    }

    public static JsonNode read(String json) {
        return MAPPER.readTree(json);
    }

    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>(node.propertyNames());
            names.sort(null);
            names.forEach(name -> out.set(name, sorted(node.get(name))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        if (node.isNumber()) {
            if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                return node; // 1e400 read as infinity has no decimal value; jsonb refuses it (a 422 problem)
            }
            return JsonNodeFactory.instance.numberNode(plain(node.decimalValue()));
        }
        return node;
    }

    /** One text per numeric value: 10000000.0, 1.0E7 and 10000000 are all {@code 10000000}. */
    private static java.math.BigDecimal plain(java.math.BigDecimal value) {
        if (value.signum() == 0) {
            return java.math.BigDecimal.ZERO;
        }
        java.math.BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
