package eu.erpdetachement.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"admin@acme.test", "jan.kowalski+a1@acme.test", "o'brien@example.co.uk", "x@a-b.io",
            "Admin@ACME.Test", " padded@acme.test "})
    void ordinary_addresses_pass(String address) {
        assertThat(EmailAddress.isValid(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b", "ａdmin@acme.test", "admin@ａcme.test", "admin＠acme.test", "@acme.test", "admin@",
            "a@@acme.test", "a@b@acme.test", "a..b@acme.test", ".a@acme.test", "a.@acme.test", "a b@acme.test",
            "\"quoted\"@acme.test", "a\u0000@acme.test", "a@acme.test\u0000", "a@-acme.test", "a@acme-.test",
            "a@acme..test", "a@acme.test.", "a@acme.t", "a@acme.123", "a@[127.0.0.1]", "ä@acme.test", "a@acme_x.test",
            "a\r\n@acme.test", ""})
    void look_alikes_and_broken_addresses_are_refused(String address) {
        assertThat(EmailAddress.isValid(address)).as(address).isFalse();
    }

    @Test
    void a_local_part_over_64_and_an_address_over_254_are_refused() {
        assertThat(EmailAddress.isValid("a".repeat(64) + "@acme.test")).isTrue();
        assertThat(EmailAddress.isValid("a".repeat(65) + "@acme.test")).isFalse();
        String longDomain = ("d".repeat(60) + ".").repeat(5) + "test"; // 309 characters
        assertThat(EmailAddress.isValid("a@" + longDomain)).isFalse();
    }

    @Test
    void an_internationalised_domain_is_stored_in_ascii_lower_case() {
        assertThat(EmailAddress.normalize("Jan@Bücher.DE")).contains("Jan@xn--bcher-kva.de");
        assertThat(EmailAddress.normalize(" admin@acme.test ")).contains("admin@acme.test");
    }
}
