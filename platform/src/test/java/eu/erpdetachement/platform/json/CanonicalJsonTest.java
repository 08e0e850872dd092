package eu.erpdetachement.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class CanonicalJsonTest {

    /** Each pair: what a client sends, and what PostgreSQL's jsonb gives back for it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"alt\":10000000.0}        | {\"alt\": 10000000.0}",
            "{\"alt\":1.0E7}             | {\"alt\": 10000000}",
            "{\"z\":-0.0}                | {\"z\": 0.0}",
            "{\"big\":1e21}              | {\"big\": 1000000000000000000000}",
            "{\"x\":0.1,\"a\":[1.50,2]}  | {\"a\": [1.5, 2], \"x\": 0.1}",
            "{\"n\":12345678901234567890} | {\"n\": 12345678901234567890}"})
    void the_same_values_have_one_text_whatever_their_rendering(String sent, String fromJsonb) {
        assertThat(CanonicalJson.canonicalize(fromJsonb)).isEqualTo(CanonicalJson.canonicalize(sent));
    }

    @Test
    void a_number_beyond_double_range_read_as_infinity_is_left_for_the_database_to_refuse() {
        JsonNode metadata = JsonNodeFactory.instance.objectNode().put("x", Double.POSITIVE_INFINITY);
        assertThat(CanonicalJson.write(metadata)).contains("Infinity");
    }

    @Test
    void different_values_keep_different_texts() {
        assertThat(CanonicalJson.canonicalize("{\"alt\":10000000.1}")).isNotEqualTo(CanonicalJson.canonicalize("{\"alt\":10000000}"));
        assertThat(CanonicalJson.canonicalize("{\"b\":1,\"a\":2}")).isEqualTo("{\"a\":2,\"b\":1}");
        assertThat(CanonicalJson.canonicalize("{\"alt\":1.0E7}")).isEqualTo("{\"alt\":10000000}");
    }
}
