package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** PostgreSQL's text form of a timestamptz, read by position when it is UTC and by java.time otherwise. */
class CapturedRowTest {

    @ParameterizedTest
    @CsvSource({
            "2026-12-07 02:01:44+00, 2026-12-07T02:01:44Z",
            "2026-12-07 02:01:44.1+00, 2026-12-07T02:01:44.100Z",
            "2026-12-07 02:01:44.12+00, 2026-12-07T02:01:44.120Z",
            "2026-12-07 02:01:44.123456+00, 2026-12-07T02:01:44.123456Z",
            "2024-02-29 23:59:59.999999+00, 2024-02-29T23:59:59.999999Z",
            "1970-01-01 00:00:00+00, 1970-01-01T00:00:00Z",
            "2026-12-07 03:01:44.5+01, 2026-12-07T02:01:44.500Z",
            "2026-12-07 07:31:44+05:30, 2026-12-07T02:01:44Z"})
    void a_timestamptz_is_read_whatever_its_offset(String text, String expected) {
        assertThat(CapturedRow.instant(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-12-07 02:01:44+00, 2026-12-07T02:01:44Z",
            "2026-12-07 02:01:44.1+00, 2026-12-07T02:01:44.100Z",
            "2026-12-07 02:01:44.12+00, 2026-12-07T02:01:44.120Z",
            "2026-12-07 02:01:44.1234+00, 2026-12-07T02:01:44.123400Z",
            "2026-12-07 02:01:44.123456+00, 2026-12-07T02:01:44.123456Z",
            "2026-12-07 03:01:44.5+01, 2026-12-07T02:01:44.500Z",
            "infinity, infinity",
            "12026-12-07 02:01:44+00, 12026-12-07 02:01:44+00"})
    void ce_time_is_what_the_recovery_path_writes_and_never_fails(String text, String expected) {
        assertThat(CapturedRow.ceTime(text)).isEqualTo(expected);
        if (!expected.equals(text)) {
            assertThat(expected).isEqualTo(Instant.parse(expected).toString());
        }
    }

    @Test
    void a_malformed_one_is_refused() {
        assertThatThrownBy(() -> CapturedRow.instant("2026-12-07 02:0x:44+00")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> CapturedRow.instant("yesterday")).isInstanceOf(DateTimeParseException.class);
    }
}
