package eu.erpdetachement.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.json.JsonMapper;

class StrictJsonTest {

    private final JsonMapper mapper = StrictJson.apply(JsonMapper.builder()).build();

    record Body(String email, Long sizeBytes) {
    }

    record Ids(java.util.UUID workerId) {
    }

    @Test
    void a_number_or_boolean_for_a_string_is_refused() {
        assertThatThrownBy(() -> mapper.readValue("{\"email\":1.9}", Body.class)).isInstanceOf(tools.jackson.databind.exc.MismatchedInputException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"email\":true}", Body.class)).isInstanceOf(tools.jackson.databind.exc.MismatchedInputException.class);
        assertThat(mapper.readValue("{\"email\":null}", Body.class).email()).isNull();
    }

    @Test
    void an_empty_or_blank_string_is_not_a_missing_uuid() {
        assertThatThrownBy(() -> mapper.readValue("{\"workerId\":\"\"}", Ids.class)).isInstanceOf(tools.jackson.databind.exc.MismatchedInputException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"workerId\":\"\\u0000\"}", Ids.class)).isInstanceOf(tools.jackson.databind.exc.MismatchedInputException.class);
        assertThat(mapper.readValue("{\"workerId\":null}", Ids.class).workerId()).isNull();
    }

    @Test
    void a_duplicate_member_name_is_refused() {
        assertThatThrownBy(() -> mapper.readValue("{\"email\":\"a@b.test\",\"email\":\"c@d.test\"}", Body.class))
                .isInstanceOf(StreamReadException.class).hasMessageContaining("Duplicate");
    }

    @Test
    void a_nul_character_in_a_string_is_refused_with_its_path() {
        assertThatThrownBy(() -> mapper.readValue("{\"email\":\"a\\u0000b\"}", Body.class))
                .isInstanceOfSatisfying(InvalidFormatException.class,
                        e -> assertThat(e.getPath().get(0).getPropertyName()).isEqualTo("email"));
    }

    @Test
    void a_lone_surrogate_is_refused() {
        assertThatThrownBy(() -> mapper.readValue("{\"email\":\"a\\ud800b\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThat(mapper.readValue("{\"email\":\"\\ud83d\\ude00\"}", Body.class).email()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void a_float_for_an_integer_is_refused() {
        assertThatThrownBy(() -> mapper.readValue("{\"sizeBytes\":1.9}", Body.class)).isInstanceOf(Exception.class);
    }

    @Test
    void ordinary_strings_still_read() {
        assertThat(mapper.readValue("{\"email\":\"ä\\t@b.test\",\"sizeBytes\":3}", Body.class))
                .isEqualTo(new Body("ä\t@b.test", 3L));
    }

    @Test
    void free_form_json_is_searched_for_nul_members_and_values() {
        JsonMapper plain = JsonMapper.builder().build();
        assertThat(JsonText.firstUnstorable(plain.readTree("{\"a\":[1,{\"b\":\"x\\u0000\"}]}"))).contains("a[1].b");
        assertThat(JsonText.firstUnstorable(plain.readTree("{\"a\\u0000\":1}"))).isPresent();
        assertThat(JsonText.firstUnstorable(plain.readTree("{\"a\":\"fine\",\"b\":[true,null,1.5]}"))).isEmpty();
    }
}
