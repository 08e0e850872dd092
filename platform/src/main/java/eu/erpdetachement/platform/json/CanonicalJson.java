package eu.erpdetachement.platform.json;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON with object keys sorted at every level, so the same content always has the same text: what
 * the hash chain and idempotency fingerprints are computed over (PostgreSQL's jsonb reorders keys).
 */
public final class CanonicalJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

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
        return node;
    }
}
