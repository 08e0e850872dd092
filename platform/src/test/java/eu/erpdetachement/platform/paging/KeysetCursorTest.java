package eu.erpdetachement.platform.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;

class KeysetCursorTest {

    @Test
    void what_encode_gives_decodes_back() {
        String cursor = KeysetCursor.encode("2026-11-25T10:00:00Z", "5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11");
        assertThat(KeysetCursor.decode(cursor, 2)).containsExactly("2026-11-25T10:00:00Z", "5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11");
        assertThat(KeysetCursor.decode(KeysetCursor.encode("jan@acme.test"), 1)).containsExactly("jan@acme.test");
    }

    /** "AA" is one NUL byte: it reached PostgreSQL as the email to page after, and failed there as a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"AA", "AAAA", "_w", "-_-_", "=", "", "YQ==", "YR8", "!!!!", "eA=", "wyg"})
    void anything_else_is_a_422_on_the_cursor(String cursor) {
        assertThatThrownBy(() -> KeysetCursor.decode(cursor, 1))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.VALIDATION_FAILED);
                    assertThat(e.errors().get(0).field()).isEqualTo("cursor");
                });
    }
}
