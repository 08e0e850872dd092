package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Whether a transaction pgoutput named by its 32-bit id had ended for a snapshot (decision 0042). */
class SnapshotTest {

    private static final long EPOCH = 1L << 32;

    @Test
    void running_listed_at_or_above_xmax_are_in_progress_the_rest_ended() {
        Snapshot snapshot = Snapshot.parse("100:104:100,102");

        assertThat(snapshot.inProgress(99)).isFalse();
        assertThat(snapshot.inProgress(100)).isTrue();
        assertThat(snapshot.inProgress(101)).isFalse();
        assertThat(snapshot.inProgress(102)).isTrue();
        assertThat(snapshot.inProgress(103)).isFalse();
        // committed, not yet visible: the last ended transaction is 103
        assertThat(snapshot.inProgress(104)).isTrue();
        assertThat(snapshot.inProgress(110)).isTrue();
    }

    @Test
    void an_empty_list_of_running_transactions_parses() {
        assertThat(Snapshot.parse("7:7:")).isEqualTo(new Snapshot(7, 7, java.util.Set.of()));
        assertThatThrownBy(() -> Snapshot.parse("7:7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ids_are_widened_in_the_epoch_of_xmax_on_either_side() {
        Snapshot fifthEpoch = new Snapshot(5 * EPOCH + 5, 5 * EPOCH + 10, java.util.Set.of());

        assertThat(fifthEpoch.widen(3)).isEqualTo(5 * EPOCH + 3);
        // above xmax in the same epoch: in progress, not an id of the epoch before (which would pass for ended)
        assertThat(fifthEpoch.widen(20)).isEqualTo(5 * EPOCH + 20);
        assertThat(fifthEpoch.inProgress(20)).isTrue();
        // just before the epoch's start: the end of the epoch before
        assertThat(fifthEpoch.widen(0xFFFF_FFF0L)).isEqualTo(5 * EPOCH - 16);
        assertThat(fifthEpoch.inProgress(0xFFFF_FFF0L)).isFalse();
    }

    @Test
    void an_id_past_the_wrap_of_the_32_bit_counter_is_in_the_next_epoch() {
        Snapshot endOfEpoch = new Snapshot(5 * EPOCH + 0xFFFF_FF00L, 5 * EPOCH + 0xFFFF_FFF0L, java.util.Set.of());

        assertThat(endOfEpoch.widen(5)).isEqualTo(6 * EPOCH + 5);
        assertThat(endOfEpoch.inProgress(5)).isTrue();
        assertThat(endOfEpoch.inProgress(0xFFFF_FFE0L)).isFalse();
    }
}
