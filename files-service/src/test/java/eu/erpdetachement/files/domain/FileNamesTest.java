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
    void shortens_long_names_but_keeps_the_extension() {
        String name = FileNames.sanitize("x".repeat(400) + ".pdf");
        assertThat(name).hasSize(FileNames.MAX_LENGTH).endsWith(".pdf");
    }

    @Test
    void nothing_usable_is_null() {
        assertThat(FileNames.sanitize("...")).isNull();
        assertThat(FileNames.sanitize("dir/")).isNull();
    }
}
