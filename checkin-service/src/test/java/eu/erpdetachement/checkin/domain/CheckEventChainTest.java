package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.checkin.domain.CheckEventChain.Link;
import eu.erpdetachement.checkin.domain.CheckEventChain.StoredLink;

class CheckEventChainTest {

    private final UUID tenant = UUID.randomUUID();
    private final UUID mission = UUID.randomUUID();
    private final UUID worker = UUID.randomUUID();

    private List<StoredLink> chainOf(int length) {
        List<StoredLink> chain = new ArrayList<>();
        String previous = null;
        Instant at = Instant.parse("2026-11-20T08:00:00.123456789Z");
        for (int i = 1; i <= length; i++) {
            Link link = new Link(UUID.randomUUID(), tenant, mission, worker,
                    i % 2 == 1 ? CheckEventType.CHECK_IN : CheckEventType.CHECK_OUT, at.plusSeconds(3600L * i),
                    CheckSource.MOBILE, "{\"device_id\":\"d" + i + "\"}", worker, i, previous);
            String hash = CheckEventChain.hash(link);
            chain.add(new StoredLink(link, hash));
            previous = hash;
        }
        return chain;
    }

    @Test
    void an_untouched_chain_verifies() {
        CheckEventChain.Verification verification = CheckEventChain.verify(chainOf(5));
        assertThat(verification.valid()).isTrue();
        assertThat(verification.checked()).isEqualTo(5);
    }

    @Test
    void an_edited_time_breaks_the_chain_at_that_event() {
        List<StoredLink> chain = chainOf(5);
        StoredLink third = chain.get(2);
        Link edited = new Link(third.link().checkEventId(), tenant, mission, worker, third.link().type(),
                third.link().occurredAt().minusSeconds(1800), third.link().source(), third.link().canonicalMetadata(),
                third.link().recordedBy(), third.link().sequenceNo(), third.link().previousHash());
        chain.set(2, new StoredLink(edited, third.storedHash()));

        CheckEventChain.Verification verification = CheckEventChain.verify(chain);

        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstBrokenEventId()).contains(third.link().checkEventId());
    }

    @Test
    void a_deleted_event_breaks_the_chain_after_the_gap() {
        List<StoredLink> chain = chainOf(4);
        UUID afterGap = chain.get(2).link().checkEventId();
        chain.remove(1);

        assertThat(CheckEventChain.verify(chain).firstBrokenEventId()).contains(afterGap);
    }

    @Test
    void a_rehashed_edit_is_still_caught_by_its_successor() {
        List<StoredLink> chain = chainOf(3);
        StoredLink first = chain.get(0);
        Link edited = new Link(first.link().checkEventId(), tenant, mission, worker, first.link().type(),
                first.link().occurredAt(), CheckSource.MANUAL, first.link().canonicalMetadata(),
                first.link().recordedBy(), 1, null);
        chain.set(0, new StoredLink(edited, CheckEventChain.hash(edited)));

        assertThat(CheckEventChain.verify(chain).firstBrokenEventId()).contains(chain.get(1).link().checkEventId());
    }

    @Test
    void the_hash_ignores_sub_microsecond_digits_the_database_cannot_keep() {
        Link link = chainOf(1).get(0).link();
        Link truncated = new Link(link.checkEventId(), tenant, mission, worker, link.type(),
                link.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), link.source(),
                link.canonicalMetadata(), link.recordedBy(), 1, null);
        assertThat(CheckEventChain.hash(truncated)).isEqualTo(CheckEventChain.hash(link));
    }
}
