package eu.erpdetachement.checkin.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Tamper evidence: each link's hash covers its own content and its predecessor's hash, so editing,
 * deleting or reordering a stored link breaks every hash after it. A chain's links are its check
 * events and the corrections appended to it (decision 0026), numbered by one sequence.
 */
public final class CheckEventChain {

    private CheckEventChain() {
    }

    /** One link of a chain: a check event or a correction. */
    public sealed interface ChainLink permits Link, CorrectionLink {

        UUID id();

        long sequenceNo();

        String previousHash();
    }

    /** What an event's hash covers. {@code canonicalMetadata} is the metadata as canonical JSON (sorted keys). */
    public record Link(UUID checkEventId, UUID tenantId, UUID missionId, UUID workerId, CheckEventType type,
            Instant occurredAt, CheckSource source, String canonicalMetadata, UUID recordedBy, long sequenceNo,
            String previousHash) implements ChainLink {

        @Override
        public UUID id() {
            return checkEventId;
        }
    }

    /**
     * What a correction's hash covers. Only pseudonymous ids and the manager's reason: nothing an
     * erasure would have to rewrite.
     */
    public record CorrectionLink(UUID correctionId, UUID tenantId, UUID missionId, UUID workerId, CorrectionKind kind,
            UUID correctedEventId, Instant occurredAt, String reason, UUID correctedBy, long sequenceNo,
            String previousHash) implements ChainLink {

        @Override
        public UUID id() {
            return correctionId;
        }
    }

    public static String hash(ChainLink link) {
        return switch (link) {
            case Link event -> hashEvent(event);
            case CorrectionLink correction -> sha256(String.join("\n",
                    "correction-v1",
                    Objects.toString(correction.previousHash(), ""),
                    correction.correctionId().toString(),
                    correction.tenantId().toString(),
                    correction.missionId().toString(),
                    correction.workerId().toString(),
                    correction.kind().wireName(),
                    correction.correctedEventId().toString(),
                    correction.occurredAt().truncatedTo(ChronoUnit.MICROS).toString(),
                    correction.correctedBy().toString(),
                    Long.toString(correction.sequenceNo()),
                    // free text last: whatever lines it holds cannot shift another field
                    correction.reason()));
        };
    }

    /** The event link's material is unchanged since v1: chains written before corrections verify as before. */
    private static String hashEvent(Link link) {
        return sha256(String.join("\n",
                "v1",
                Objects.toString(link.previousHash(), ""),
                link.checkEventId().toString(),
                link.tenantId().toString(),
                link.missionId().toString(),
                link.workerId().toString(),
                link.type().wireName(),
                // the database keeps microseconds: hash exactly what it stores
                link.occurredAt().truncatedTo(ChronoUnit.MICROS).toString(),
                link.source().wireName(),
                link.canonicalMetadata(),
                link.recordedBy().toString(),
                Long.toString(link.sequenceNo())));
    }

    private static String sha256(String material) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Outcome of walking a chain from its first event. */
    public record Verification(boolean valid, int checked, Optional<UUID> firstBrokenEventId) {
    }

    /**
     * Recomputes every link in sequence order. A link is broken when its stored hash is not the hash
     * of its content, when it does not point at its predecessor's hash, or when its sequence skips.
     */
    public static Verification verify(List<StoredLink> links) {
        String expectedPrevious = null;
        long expectedSequence = 1;
        int checked = 0;
        for (StoredLink stored : links) {
            ChainLink link = stored.link();
            checked++;
            boolean intact = link.sequenceNo() == expectedSequence
                    && Objects.equals(link.previousHash(), expectedPrevious)
                    && hash(link).equals(stored.storedHash());
            if (!intact) {
                return new Verification(false, checked, Optional.of(link.id()));
            }
            expectedPrevious = stored.storedHash();
            expectedSequence++;
        }
        return new Verification(true, checked, Optional.empty());
    }

    public record StoredLink(ChainLink link, String storedHash) {
    }
}
