package eu.erpdetachement.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The loop answers what Spring Security's patterns answer, for every code point and for mixed strings. */
class HeaderCharactersTest {

    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void every_code_point_is_judged_as_the_firewall_patterns_judge_it() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue; // not a character on its own
            }
            String s = "a" + Character.toString(cp) + "b";
            assertThat(HeaderCharacters.allowedInName(s)).as("name U+%04X", cp).isEqualTo(NAME.matcher(s).matches());
            assertThat(HeaderCharacters.allowedInValue(s)).as("value U+%04X", cp).isEqualTo(VALUE.matcher(s).matches());
        }
    }

    @Test
    void lone_surrogates_and_random_strings_too() {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                s.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            }
            String text = s.toString();
            assertThat(HeaderCharacters.allowedInName(text)).as("name %s", text).isEqualTo(NAME.matcher(text).matches());
            assertThat(HeaderCharacters.allowedInValue(text)).as("value %s", text).isEqualTo(VALUE.matcher(text).matches());
        }
    }

    @Test
    void an_absent_header_is_allowed() {
        assertThat(HeaderCharacters.allowedInName(null)).isTrue();
        assertThat(HeaderCharacters.allowedInValue(null)).isTrue();
    }

    @Test
    void usual_headers_pass_and_control_characters_do_not() {
        assertThat(HeaderCharacters.allowedInValue("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig")).isTrue();
        assertThat(HeaderCharacters.allowedInValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.allowedInName("a\tb")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\nb")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\u0000b")).isFalse();
    }
}
