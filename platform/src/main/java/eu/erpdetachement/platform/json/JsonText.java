package eu.erpdetachement.platform.json;

import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/** Checks on free-form JSON (metadata, settings) that typed bodies get from {@link StrictJson}. */
public final class JsonText {

    private JsonText() {
    }

    /** False for text holding U+0000 (PostgreSQL refuses it) or an unpaired surrogate (not Unicode). */
    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The path of the first member name or string value that is not {@link #isStorable}, if any. */
    public static Optional<String> firstUnstorable(JsonNode node) {
        return firstUnstorable(node, "");
    }

    private static Optional<String> firstUnstorable(JsonNode node, String path) {
        if (node.isString()) {
            return isStorable(node.asString()) ? Optional.empty() : Optional.of(path);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String at = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (!isStorable(member.getKey())) {
                    return Optional.of(path.isEmpty() ? "(member name)" : path + ".(member name)");
                }
                Optional<String> found = firstUnstorable(member.getValue(), at);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = firstUnstorable(node.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
