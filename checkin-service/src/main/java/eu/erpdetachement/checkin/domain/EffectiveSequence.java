package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A chain's check events with its corrections applied, in time order: what the worker effectively
 * did. Stored events are never changed; an amendment moves an entry's time, a supplying correction
 * adds an entry whose id is the correction's id.
 */
public final class EffectiveSequence {

    /** A correction as it applies to an entry; {@code replaced} is the time an amendment replaced (null when supplied). */
    public record Applied(Correction correction, Instant replaced) {
    }

    /** One effective check event; {@code corrections} are those that made it what it is, in chain order. */
    public record Entry(UUID id, CheckEventType type, Instant occurredAt, List<Applied> corrections) {
    }

    private final List<Entry> entries;

    private EffectiveSequence(List<Entry> entries) {
        this.entries = entries;
    }

    /** Applies the corrections in chain (sequence) order; one naming no known entry is ignored (the chain check reports it). */
    public static EffectiveSequence of(List<CheckEvent> events, List<Correction> corrections) {
        Map<UUID, Entry> byId = new LinkedHashMap<>();
        for (CheckEvent event : events) {
            byId.put(event.checkEventId(), new Entry(event.checkEventId(), event.type(), event.occurredAt(), List.of()));
        }
        corrections.stream().sorted(Comparator.comparingLong(Correction::sequenceNo)).forEach(correction -> {
            if (correction.kind() == CorrectionKind.AMEND_OCCURRED_AT) {
                Entry entry = byId.get(correction.correctedEventId());
                if (entry != null) {
                    byId.put(entry.id(), new Entry(entry.id(), entry.type(), correction.occurredAt(),
                            append(entry.corrections(), new Applied(correction, entry.occurredAt()))));
                }
            } else {
                byId.put(correction.correctionId(), new Entry(correction.correctionId(), correction.suppliedType(),
                        correction.occurredAt(), List.of(new Applied(correction, null))));
            }
        });
        List<Entry> ordered = new ArrayList<>(byId.values());
        ordered.sort(Comparator.comparing(Entry::occurredAt).thenComparing(Entry::id));
        return new EffectiveSequence(List.copyOf(ordered));
    }

    private static List<Applied> append(List<Applied> list, Applied applied) {
        List<Applied> copy = new ArrayList<>(list);
        copy.add(applied);
        return List.copyOf(copy);
    }

    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> find(UUID id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public Optional<Entry> last() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    /** What the worker is doing now: {@code not_checked_in}, {@code checked_in} or {@code checked_out}. */
    public String currentState() {
        return last().map(e -> e.type() == CheckEventType.CHECK_IN ? "checked_in" : "checked_out").orElse("not_checked_in");
    }

    /** The first place where entries stop alternating from a check-in or stop increasing in time, if any. */
    public Optional<String> firstBreach() {
        CheckEventType expected = CheckEventType.CHECK_IN;
        Instant previous = null;
        for (Entry entry : entries) {
            if (entry.type() != expected) {
                return Optional.of(expected == CheckEventType.CHECK_IN
                        ? "there would be a check-out at " + entry.occurredAt() + " without a check-in before it"
                        : "there would be a check-in at " + entry.occurredAt() + " while the worker is still checked in");
            }
            if (previous != null && !entry.occurredAt().isAfter(previous)) {
                return Optional.of("two events would happen at " + entry.occurredAt());
            }
            previous = entry.occurredAt();
            expected = expected == CheckEventType.CHECK_IN ? CheckEventType.CHECK_OUT : CheckEventType.CHECK_IN;
        }
        return Optional.empty();
    }
}
