package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.checkin.domain.CheckEventChain.CorrectionLink;
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
        Link edited = new Link(event(third).checkEventId(), tenant, mission, worker, event(third).type(),
                event(third).occurredAt().minusSeconds(1800), event(third).source(), event(third).canonicalMetadata(),
                event(third).recordedBy(), event(third).sequenceNo(), event(third).previousHash());
        chain.set(2, new StoredLink(edited, third.storedHash()));

        CheckEventChain.Verification verification = CheckEventChain.verify(chain);

        assertThat(verification.valid()).isFalse();
        assertThat(verification.firstBrokenEventId()).contains(event(third).checkEventId());
    }

    @Test
    void a_deleted_event_breaks_the_chain_after_the_gap() {
        List<StoredLink> chain = chainOf(4);
        UUID afterGap = event(chain.get(2)).checkEventId();
        chain.remove(1);

        assertThat(CheckEventChain.verify(chain).firstBrokenEventId()).contains(afterGap);
    }

    @Test
    void a_rehashed_edit_is_still_caught_by_its_successor() {
        List<StoredLink> chain = chainOf(3);
        StoredLink first = chain.get(0);
        Link edited = new Link(event(first).checkEventId(), tenant, mission, worker, event(first).type(),
                event(first).occurredAt(), CheckSource.MANUAL, event(first).canonicalMetadata(),
                event(first).recordedBy(), 1, null);
        chain.set(0, new StoredLink(edited, CheckEventChain.hash(edited)));

        assertThat(CheckEventChain.verify(chain).firstBrokenEventId()).contains(event(chain.get(1)).checkEventId());
    }

    @Test
    void the_hash_ignores_sub_microsecond_digits_the_database_cannot_keep() {
        Link link = event(chainOf(1).get(0));
        Link truncated = new Link(link.checkEventId(), tenant, mission, worker, link.type(),
                link.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), link.source(),
                link.canonicalMetadata(), link.recordedBy(), 1, null);
        assertThat(CheckEventChain.hash(truncated)).isEqualTo(CheckEventChain.hash(link));
    }

    private static Link event(StoredLink stored) {
        return (Link) stored.link();
    }

    @Test
    void an_event_links_hash_is_what_it_was_before_corrections_existed() {
        // the v1 material, hashed by hand: chains written before corrections verify exactly as before
        Link link = new Link(UUID.fromString("b59dc621-27ba-4f94-b199-b17aaf905186"),
                UUID.fromString("11111111-1111-4111-8111-111111111111"), UUID.fromString("6d5b7412-d98c-41ab-a5d9-a0eb0917f5a8"),
                UUID.fromString("d5576578-29f6-4d57-b942-762049c850ec"), CheckEventType.CHECK_IN,
                Instant.parse("2026-11-24T07:58:12.123456Z"), CheckSource.MOBILE, "{\"device_id\":\"phone-7\"}",
                UUID.fromString("5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11"), 1, null);

        assertThat(CheckEventChain.hash(link)).isEqualTo("2147a00d49f418a61123d9a03de0986895298e184cdffd364ea936120556205d");
    }

    private StoredLink correction(StoredLink previous, String reason) {
        CorrectionLink link = new CorrectionLink(UUID.randomUUID(), tenant, mission, worker, CorrectionKind.SUPPLY_CHECK_OUT,
                previous.link().id(), Instant.parse("2026-11-20T17:00:00Z"), reason, UUID.randomUUID(),
                previous.link().sequenceNo() + 1, previous.storedHash());
        return new StoredLink(link, CheckEventChain.hash(link));
    }

    @Test
    void a_chain_with_a_correction_appended_verifies() {
        List<StoredLink> chain = chainOf(3);
        chain.add(correction(chain.get(2), "forgot to check out"));

        CheckEventChain.Verification verification = CheckEventChain.verify(chain);

        assertThat(verification.valid()).isTrue();
        assertThat(verification.checked()).isEqualTo(4);
    }

    @Test
    void an_edited_correction_reason_breaks_the_chain_at_that_correction() {
        List<StoredLink> chain = chainOf(3);
        StoredLink appended = correction(chain.get(2), "forgot to check out");
        CorrectionLink original = (CorrectionLink) appended.link();
        CorrectionLink edited = new CorrectionLink(original.correctionId(), tenant, mission, worker, original.kind(),
                original.correctedEventId(), original.occurredAt(), "forgot to check out\nand a second line",
                original.correctedBy(), original.sequenceNo(), original.previousHash());
        chain.add(new StoredLink(edited, appended.storedHash()));

        assertThat(CheckEventChain.verify(chain).firstBrokenEventId()).contains(original.correctionId());
    }
}
