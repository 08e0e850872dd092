package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A (mission, worker) chain built the way the service appends to it, for the rules' tests. */
final class ChainFixture {

    final UUID tenant = UUID.randomUUID();
    final UUID mission;
    final UUID worker;
    final UUID manager = UUID.randomUUID();
    final List<CheckEvent> events = new ArrayList<>();
    final List<Correction> corrections = new ArrayList<>();
    private long sequence;
    private String previous;

    ChainFixture(UUID mission, UUID worker) {
        this.mission = mission;
        this.worker = worker;
    }

    ChainFixture() {
        this(UUID.randomUUID(), UUID.randomUUID());
    }

    CheckEvent in(String at) {
        return event(CheckEventType.CHECK_IN, at);
    }

    CheckEvent out(String at) {
        return event(CheckEventType.CHECK_OUT, at);
    }

    private CheckEvent event(CheckEventType type, String at) {
        UUID id = UUID.randomUUID();
        var link = new CheckEventChain.Link(id, tenant, mission, worker, type, Instant.parse(at), CheckSource.MOBILE, "{}",
                worker, ++sequence, previous);
        previous = CheckEventChain.hash(link);
        CheckEvent event = new CheckEvent(id, tenant, mission, worker, type, Instant.parse(at), Instant.parse(at),
                CheckSource.MOBILE, "{}", worker, sequence, link.previousHash(), previous);
        events.add(event);
        return event;
    }

    /** A correction linked as the next link, not yet appended (what the service checks before it stores). */
    Correction proposed(CorrectionKind kind, UUID corrected, String at, String reason) {
        UUID id = UUID.randomUUID();
        var link = new CheckEventChain.CorrectionLink(id, tenant, mission, worker, kind, corrected, Instant.parse(at), reason,
                manager, sequence + 1, previous);
        return new Correction(id, tenant, mission, worker, kind, corrected, Instant.parse(at), reason, manager,
                Instant.parse(at), sequence + 1, previous, CheckEventChain.hash(link));
    }

    Correction correct(CorrectionKind kind, UUID corrected, String at, String reason) {
        Correction correction = proposed(kind, corrected, at, reason);
        corrections.add(correction);
        sequence++;
        previous = correction.hash();
        return correction;
    }

    ChainRecords records() {
        return new ChainRecords(mission, worker, List.copyOf(events), List.copyOf(corrections));
    }
}
