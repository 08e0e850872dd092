package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CreatedEmailsTest {

    @Test
    void finds_each_address_of_a_log_line_and_nothing_else() {
        String line = "{\"@timestamp\":\"x\",\"message\":\"to jane-1a2b@acme.test, cc x.y+z@mail.globex.test.\","
                + "\"pool\":\"Pool@6d06d69c\",\"masked\":\"[3f9a1c2b7d0e]@acme.test\",\"voters\":\"1@127.0.0.1:9093\"}";

        assertThat(CreatedEmails.Addresses.in(line))
                .containsExactly("jane-1a2b@acme.test", "x.y+z@mail.globex.test", "1@127.0.0.1");
    }
}
