package eu.erpdetachement.checkin.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Everything one (mission, worker) chain holds: its check events and the corrections appended to it. */
public record ChainRecords(UUID missionId, UUID workerId, List<CheckEvent> events, List<Correction> corrections) {

    /** Both kinds of link in one sequence, as the chain's hashes link them. */
    public List<CheckEventChain.StoredLink> links() {
        List<CheckEventChain.StoredLink> links = new ArrayList<>();
        events.forEach(e -> links.add(new CheckEventChain.StoredLink(e.link(), e.hash())));
        corrections.forEach(c -> links.add(new CheckEventChain.StoredLink(c.link(), c.hash())));
        links.sort(Comparator.comparingLong(l -> l.link().sequenceNo()));
        return links;
    }

    public CheckEventChain.Verification verify() {
        return CheckEventChain.verify(links());
    }

    /** The last link (what the next one points at) with the effective last event (what the next one must follow). */
    public Optional<ChainHead> head() {
        List<CheckEventChain.StoredLink> links = links();
        return effective().last().map(last -> {
            CheckEventChain.StoredLink tail = links.get(links.size() - 1);
            return new ChainHead(last.id(), tail.link().sequenceNo(), last.type(), last.occurredAt(), tail.storedHash());
        });
    }

    public EffectiveSequence effective() {
        return EffectiveSequence.of(events, corrections);
    }
}
