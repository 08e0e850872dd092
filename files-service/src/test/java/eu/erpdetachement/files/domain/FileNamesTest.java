package eu.erpdetachement.files.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "certificat A1.pdf | certificat A1.pdf",
            "../../etc/passwd | passwd",
            "C:\\Users\\x\\bulletin.pdf | bulletin.pdf",
            ".htaccess | htaccess",
            "a\"b;c.pdf | a_b_c.pdf",
            "ça va ünïcode.pdf | ça va ünïcode.pdf"})
    void keeps_a_safe_download_name(String given, String expected) {
        assertThat(FileNames.sanitize(given)).isEqualTo(expected);
    }

    @Test
    void strips_header_injection_characters() {
        assertThat(FileNames.sanitize("x.pdf\r\nSet-Cookie: a=b")).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void keeps_names_up_to_the_contracts_1024_characters_whole_and_flags_longer_ones() {
        String longest = "x".repeat(1020) + ".pdf";
        assertThat(FileNames.sanitize(longest)).isEqualTo(longest);
        assertThat(FileNames.isTooLong(longest)).isFalse();
        assertThat(FileNames.isTooLong("x" + longest)).isTrue();
        // counted in characters, as JSON Schema and PostgreSQL count them: 1,024 emoji are 2,048 chars in Java
        assertThat(FileNames.isTooLong("\uD83D\uDE00".repeat(1024))).isFalse();
    }

    @Test
    void nothing_usable_is_null() {
        assertThat(FileNames.sanitize("...")).isNull();
        assertThat(FileNames.sanitize("dir/")).isNull();
    }
}
