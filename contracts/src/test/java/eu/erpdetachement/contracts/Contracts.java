package eu.erpdetachement.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The contract files as the other modules see them: from the classpath, under contracts/. */
final class Contracts {

    static final YAMLMapper YAML = YAMLMapper.builder().build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Contracts() {
    }

    static JsonNode yaml(String name) {
        return YAML.readTree(text(name));
    }

    static JsonNode json(String name) {
        return JSON.readTree(text(name));
    }

    static String text(String name) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream("contracts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("contracts/" + name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
