package eu.erpdetachement.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tamper evidence for a tenant's audit trail: each record's hash covers its content and its
 * predecessor's hash, so editing, deleting or reordering a stored record breaks every hash after it.
 * The personal fields (the changed values and the client's address) enter the hash only through
 * their digest: an erasure may pseudonymise them, and the chain still verifies (decision 0025).
 */
public final class AuditChain {

    public static final String ERASURE_ACTION = "user.erased";
    /** The erasure of a file that named the person (its name, its key), by the files service. */
    public static final String FILE_ERASURE_ACTION = "file.erased";

    private AuditChain() {
    }

    /** What a record's hash covers. */
    public record Link(UUID tenantId, long sequenceNo, UUID auditEventId, Instant occurredAt, String service, UUID actorId,
            String action, String targetType, String targetId, String requestId, String personalDigest,
            String previousHash) {
    }

    /** A stored record: its link, its stored hash, and its personal fields as they are now. */
    public record StoredLink(Link link, String storedHash, String canonicalChanges, String clientIp, boolean redacted) {
    }

    /** The digest of the personal fields: {@code canonicalChanges} is the changes as canonical JSON. */
    public static String personalDigest(String canonicalChanges, String clientIp) {
        return sha256(String.join("\n", "v1", canonicalChanges, Objects.toString(clientIp, "")));
    }

    public static String hash(Link link) {
        return sha256(String.join("\n",
                "v1",
                Objects.toString(link.previousHash(), ""),
                link.tenantId().toString(),
                Long.toString(link.sequenceNo()),
                link.auditEventId().toString(),
                // the database keeps microseconds: hash exactly what it stores
                link.occurredAt().truncatedTo(ChronoUnit.MICROS).toString(),
                link.service(),
                Objects.toString(link.actorId(), ""),
                link.action(),
                link.targetType(),
                link.targetId(),
                Objects.toString(link.requestId(), ""),
                link.personalDigest()));
    }

    /** An erased subject as the chain records it: {@code user:<id>} or {@code file:<id>}. */
    public static String subject(String targetType, String targetId) {
        return targetType + ":" + targetId;
    }

    /** Whether a record names an erased subject: a user as actor or target, a file as target. */
    static boolean namesAny(Link link, Set<String> erasedSubjects) {
        return link.actorId() != null && erasedSubjects.contains(subject("user", link.actorId().toString()))
                || erasedSubjects.contains(subject(link.targetType(), link.targetId()));
    }

    /** Outcome of walking a chain from its first record. */
    public record Verification(boolean valid, int checked, int redacted, Optional<Long> firstBrokenSequenceNo) {
    }

    /**
     * Walks a chain in sequence order. A record is broken when its stored hash is not the hash of its
     * content, when it does not point at its predecessor's hash, when its sequence skips, or when its
     * personal fields do not match their digest — unless they were pseudonymised, which only a record
     * naming a user or a file the chain records as erased may be.
     */
    public static final class Verifier {

        private final Set<String> erasedSubjects;
        private String expectedPrevious;
        private long expectedSequence = 1;
        private int checked;
        private int redacted;
        private Long firstBroken;

        /** {@code erasedSubjects}: what the chain records as erased, as {@link #subject} gives them. */
        public Verifier(Set<String> erasedSubjects) {
            this.erasedSubjects = Set.copyOf(erasedSubjects);
        }

        public void accept(StoredLink stored) {
            if (firstBroken != null) {
                return;
            }
            Link link = stored.link();
            checked++;
            boolean personalIntact = stored.redacted()
                    ? namesAny(link, erasedSubjects)
                    : personalDigest(stored.canonicalChanges(), stored.clientIp()).equals(link.personalDigest());
            boolean intact = link.sequenceNo() == expectedSequence
                    && Objects.equals(link.previousHash(), expectedPrevious)
                    && hash(link).equals(stored.storedHash())
                    && personalIntact;
            if (!intact) {
                firstBroken = link.sequenceNo();
                return;
            }
            if (stored.redacted()) {
                redacted++;
            }
            expectedPrevious = stored.storedHash();
            expectedSequence++;
        }

        public Verification result() {
            return new Verification(firstBroken == null, checked, redacted, Optional.ofNullable(firstBroken));
        }
    }

    private static String sha256(String material) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
