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
 * Tamper evidence: each event's hash covers its own content and its predecessor's hash, so editing,
 * deleting or reordering a stored event breaks every hash after it.
 */
public final class CheckEventChain {

    private CheckEventChain() {
    }

    /** What an event's hash covers. {@code canonicalMetadata} is the metadata as canonical JSON (sorted keys). */
    public record Link(UUID checkEventId, UUID tenantId, UUID missionId, UUID workerId, CheckEventType type,
            Instant occurredAt, CheckSource source, String canonicalMetadata, UUID recordedBy, long sequenceNo,
            String previousHash) {
    }

    public static String hash(Link link) {
        String material = String.join("\n",
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
                Long.toString(link.sequenceNo()));
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
            Link link = stored.link();
            checked++;
            boolean intact = link.sequenceNo() == expectedSequence
                    && Objects.equals(link.previousHash(), expectedPrevious)
                    && hash(link).equals(stored.storedHash());
            if (!intact) {
                return new Verification(false, checked, Optional.of(link.checkEventId()));
            }
            expectedPrevious = stored.storedHash();
            expectedSequence++;
        }
        return new Verification(true, checked, Optional.empty());
    }

    public record StoredLink(Link link, String storedHash) {
    }
}
