package eu.erpdetachement.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.web.bind.WebDataBinder;

class StrictParametersTest {

    private final WebDataBinder binder = new WebDataBinder(null);

    StrictParametersTest() {
        binder.setConversionService(new DefaultFormattingConversionService());
        new StrictParameters().strictEditors(binder);
    }

    @Test
    void booleans_are_true_or_false_only() {
        assertThat(binder.convertIfNecessary("true", Boolean.class)).isTrue();
        assertThat(binder.convertIfNecessary("false", Boolean.class)).isFalse();
        for (String lax : new String[] {"yes", "on", "1", "TRUE", "tru", "", " "}) {
            assertThatThrownBy(() -> binder.convertIfNecessary(lax, Boolean.class)).as(lax).isInstanceOf(TypeMismatchException.class);
        }
    }

    @Test
    void integers_are_decimal_and_uuids_have_their_36_characters() {
        assertThat(binder.convertIfNecessary("50", Integer.class)).isEqualTo(50);
        for (String lax : new String[] {"", " ", "0x10", "1.9", "1e2"}) {
            assertThatThrownBy(() -> binder.convertIfNecessary(lax, Integer.class)).as(lax).isInstanceOf(TypeMismatchException.class);
        }
        UUID id = UUID.randomUUID();
        assertThat(binder.convertIfNecessary(id.toString(), UUID.class)).isEqualTo(id);
        for (String lax : new String[] {"", "1-1-1-1-1", id + "x", "{" + id + "}"}) {
            assertThatThrownBy(() -> binder.convertIfNecessary(lax, UUID.class)).as(lax).isInstanceOf(TypeMismatchException.class);
        }
    }
}
