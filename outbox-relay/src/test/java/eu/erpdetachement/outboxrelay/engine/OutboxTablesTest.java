package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class OutboxTablesTest {

    @Test
    void the_ids_of_a_batch_are_one_uuid_array_literal() {
        UUID a = UUID.fromString("0b7f3c1e-7d2a-4c8e-9a51-3f1c2b6d9e10");
        UUID b = UUID.fromString("f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e");

        assertThat(OutboxTables.arrayLiteral(List.of(a))).isEqualTo("{" + a + "}");
        assertThat(OutboxTables.arrayLiteral(List.of(a, b))).isEqualTo("{" + a + "," + b + "}");
    }
}
