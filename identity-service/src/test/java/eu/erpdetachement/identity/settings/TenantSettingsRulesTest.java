package eu.erpdetachement.identity.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.problem.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TenantSettingsRulesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final TenantSettingsSchema schema = new TenantSettingsSchema(JSON);

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void merge_patch_replaces_removes_and_merges_as_rfc_7396_says() {
        JsonNode target = json("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}");
        JsonNode patch = json("{\"a\":\"z\",\"c\":{\"f\":null}}");
        assertThat(JsonMergePatch.apply(target, patch)).isEqualTo(json("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"));
        assertThat(JsonMergePatch.apply(json("{\"a\":[1]}"), json("{\"a\":[2,3]}"))).isEqualTo(json("{\"a\":[2,3]}"));
    }

    @Test
    void if_match_compares_strongly() {
        assertThat(ETags.matches("\"3\"", 3)).isTrue();
        assertThat(ETags.matches("\"2\", \"3\"", 3)).isTrue();
        assertThat(ETags.matches("*", 7)).isTrue();
        assertThat(ETags.matches("\"2\"", 3)).isFalse();
        assertThat(ETags.matches("W/\"3\"", 3)).isFalse();
    }

    @Test
    void defaults_cover_every_known_key() {
        assertThat(schema.defaults().propertyNames()).contains("locale", "timezone", "checkin_backdating_window_hours",
                "file_max_size_bytes", "file_allowed_mime_types", "files_bucket");
        assertThat(schema.violations(schema.defaults())).isEmpty();
    }

    @Test
    void rejects_unknown_keys_and_out_of_range_values() {
        assertThat(schema.violations(json("{\"colour\":\"blue\"}"))).isNotEmpty();
        assertThat(schema.violations(json("{\"checkin_backdating_window_hours\":0}")))
                .extracting(FieldError::field).anyMatch(f -> f.contains("checkin_backdating_window_hours"));
        assertThat(schema.violations(json("{\"file_max_size_bytes\":\"big\"}"))).isNotEmpty();
    }

    @Test
    void rejects_a_time_zone_that_does_not_exist() {
        assertThat(schema.violations(json("{\"timezone\":\"Mars/Olympus\"}"))).extracting(FieldError::field)
                .contains("settings.timezone");
        assertThat(schema.violations(json("{\"timezone\":\"Europe/Warsaw\"}"))).isEmpty();
    }
}
