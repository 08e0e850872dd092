package eu.erpdetachement.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class PersonalDataMaskTest {

    private final PersonalDataMask mask = new PersonalDataMask("test-key");

    @Test
    void replaces_an_address_by_its_keyed_token_and_keeps_the_domain() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("jane.doe@acme.test".getBytes(StandardCharsets.UTF_8))).substring(0, 12);

        assertThat(mask.maskEmails("Invitation to jane.doe@acme.test not sent"))
                .isEqualTo("Invitation to [" + expected + "]@acme.test not sent");
    }

    @Test
    void the_token_is_what_the_operators_recipe_computes() {
        // docs/operations.md: printf %s 'jane.doe@acme.test' | openssl dgst -sha256 -hmac erp-detachement-log-mask | cut -c1-12
        assertThat(new PersonalDataMask(PersonalDataMask.DEFAULT_KEY).maskEmails("jane.doe@acme.test"))
                .isEqualTo("[ecbdd9f8ed84]@acme.test");
    }

    @Test
    void gives_the_same_token_to_the_same_address_whatever_its_case() {
        assertThat(mask.maskEmails("Jane.Doe@ACME.test")).isEqualTo(mask.maskEmails("jane.doe@acme.test"));
        assertThat(mask.maskEmails("jane.doe@acme.test")).isNotEqualTo(mask.maskEmails("john.doe@acme.test"));
    }

    @Test
    void gives_other_tokens_under_another_key() {
        assertThat(new PersonalDataMask("other-key").maskEmails("jane@acme.test")).isNotEqualTo(mask.maskEmails("jane@acme.test"));
    }

    @Test
    void masks_every_address_of_a_text_quoted_or_url_encoded() {
        String masked = mask.maskEmails("username=\"a+b@acme.test\", to <x_y@mail.globex.test>; q=jane%40acme.test&next=1, "
                + "'ünïcode@exämple.de'");

        assertThat(masked).doesNotContain("a+b@", "x_y@", "jane%40", "ünïcode")
                .contains("]@acme.test\"", "]@mail.globex.test>", "]%40acme.test&next=1", "]@exämple.de'")
                .contains(mask.maskEmails("jane@acme.test").replace("@", "%40"));
    }

    @Test
    void leaves_object_identities_and_host_ports_alone() {
        String text = "pool io.r2dbc.Pool@6d06d69c, voters 1@127.0.0.1:9093, nothing here";
        assertThat(mask.maskEmails(text)).isSameAs(text);
        assertThat(mask.maskEmails("no at sign at all")).isSameAs("no at sign at all").isNotNull();
    }

    @Test
    void does_not_mask_a_masked_address_again() {
        String once = mask.maskEmails("jane@acme.test");
        assertThat(mask.maskEmails(once)).isEqualTo(once);
    }

    @Test
    void replaces_the_whole_value_of_a_field_named_like_personal_data() {
        assertThat(mask.maskField("first_name", "Jane")).matches("\\[[0-9a-f]{12}]");
        assertThat(mask.maskField("lastName", "Doe")).isEqualTo(mask.maskField("last_name", "doe"));
        assertThat(mask.maskField("email", "jane@acme.test")).matches("\\[[0-9a-f]{12}]");
        assertThat(mask.maskField("tenant_id", "acme")).isEqualTo("acme");
        assertThat(mask.maskField("message", "sent to jane@acme.test")).isEqualTo(mask.maskEmails("sent to jane@acme.test"));
    }
}
