package eu.erpdetachement.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.format.support.DefaultFormattingConversionService;

class StrictParametersTest {

    private final DefaultFormattingConversionService conversion = new DefaultFormattingConversionService();

    StrictParametersTest() {
        new StrictParameters().addFormatters(conversion);
    }

    @Test
    void booleans_are_true_or_false_only() {
        assertThat(conversion.convert("true", Boolean.class)).isTrue();
        assertThat(conversion.convert("false", Boolean.class)).isFalse();
        for (String lax : new String[] {"yes", "on", "1", "TRUE", "tru", ""}) {
            assertThatThrownBy(() -> conversion.convert(lax, Boolean.class)).as(lax).isInstanceOf(ConversionFailedException.class);
        }
    }

    @Test
    void an_empty_typed_value_is_refused_not_dropped() {
        assertThat(conversion.convert("50", Integer.class)).isEqualTo(50);
        assertThatThrownBy(() -> conversion.convert("", Integer.class)).isInstanceOf(ConversionFailedException.class);
        assertThatThrownBy(() -> conversion.convert("", Long.class)).isInstanceOf(ConversionFailedException.class);
        assertThatThrownBy(() -> conversion.convert("", UUID.class)).isInstanceOf(ConversionFailedException.class);
    }
}
