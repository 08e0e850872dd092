package eu.erpdetachement.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

class OptionalButNotNullTest {

    record Request(String email, @JsonDeserialize(using = OptionalButNotNull.class) String language) {
    }

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void a_left_out_field_is_null_a_present_one_is_read_and_an_explicit_null_is_refused() {
        assertThat(json.readValue("{\"email\":\"a@b.test\"}", Request.class).language()).isNull();
        assertThat(json.readValue("{\"email\":\"a@b.test\",\"language\":\"de\"}", Request.class).language()).isEqualTo("de");
        assertThatThrownBy(() -> json.readValue("{\"email\":\"a@b.test\",\"language\":null}", Request.class))
                .isInstanceOf(MismatchedInputException.class);
    }
}
