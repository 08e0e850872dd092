package eu.erpdetachement.identity.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Single-use tokens mailed to a user: to set a password (invitation, reset) or to confirm a new
 * email address. 256 random bits, given to the user once, stored only as a SHA-256 hash, expiring,
 * consumed atomically, and good only for their own purpose.
 */
@Component
public class PasswordTokens {

    public enum Purpose {
        INVITATION(Duration.ofDays(7)), RESET(Duration.ofMinutes(30)), EMAIL_CHANGE(Duration.ofHours(24));

        /** The purposes whose token sets a password. */
        public static final java.util.Set<Purpose> PASSWORD = java.util.EnumSet.of(INVITATION, RESET);

        final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }
    }

    /** A used token; {@code newEmail} is the address an email-change token confirms. */
    public record Redeemed(UUID userId, UUID tenantId, Purpose purpose, String newEmail) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;

    public PasswordTokens(DatabaseClient db) {
        this.db = db;
    }

    /** Issues a token; answers the secret to put in the link. */
    public Mono<String> issue(UUID userId, UUID tenantId, Purpose purpose, Instant now) {
        if (purpose == Purpose.EMAIL_CHANGE) {
            throw new IllegalArgumentException("an email change names its new address: use issueEmailChange");
        }
        return insert(userId, tenantId, purpose, null, now);
    }

    /** Issues a token that confirms {@code newEmail} as the user's address; answers the secret. */
    public Mono<String> issueEmailChange(UUID userId, UUID tenantId, String newEmail, Instant now) {
        return insert(userId, tenantId, Purpose.EMAIL_CHANGE, newEmail, now);
    }

    private Mono<String> insert(UUID userId, UUID tenantId, Purpose purpose, String newEmail, Instant now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        var spec = db.sql("""
                INSERT INTO password_tokens (token_hash, user_id, tenant_id, purpose, expires_at, new_email)
                VALUES (:hash, :user, :tenant, :purpose, :expires, :email)""")
                .bind("hash", hash(token)).bind("user", userId).bind("tenant", tenantId)
                .bind("purpose", wire(purpose))
                .bind("expires", now.plus(purpose.lifetime).atOffset(ZoneOffset.UTC));
        spec = newEmail == null ? spec.bindNull("email", String.class) : spec.bind("email", newEmail);
        return spec.then().thenReturn(token);
    }

    /**
     * Marks the token used if it is valid now and has one of the {@code accepted} purposes; empty when
     * it is unknown, used, expired or for something else.
     */
    public Mono<Redeemed> redeem(String token, java.util.Set<Purpose> accepted, Instant now) {
        if (token == null || token.length() > 128) {
            return Mono.empty();
        }
        return db.sql("""
                UPDATE password_tokens SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now AND purpose = ANY(:purposes)
                RETURNING user_id, tenant_id, purpose, new_email""")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("hash", hash(token))
                .bind("purposes", accepted.stream().map(PasswordTokens::wire).toArray(String[]::new))
                .map(row -> new Redeemed(row.get("user_id", UUID.class), row.get("tenant_id", UUID.class),
                        Purpose.valueOf(row.get("purpose", String.class).toUpperCase()), row.get("new_email", String.class)))
                .one();
    }

    /** The valid token's owner and purpose, without using it up; empty as {@link #redeem} would be. */
    public Mono<Redeemed> peek(String token, java.util.Set<Purpose> accepted, Instant now) {
        if (token == null || token.length() > 128) {
            return Mono.empty();
        }
        return db.sql("""
                SELECT user_id, tenant_id, purpose, new_email FROM password_tokens
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now AND purpose = ANY(:purposes)""")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("hash", hash(token))
                .bind("purposes", accepted.stream().map(PasswordTokens::wire).toArray(String[]::new))
                .map(row -> new Redeemed(row.get("user_id", UUID.class), row.get("tenant_id", UUID.class),
                        Purpose.valueOf(row.get("purpose", String.class).toUpperCase()), row.get("new_email", String.class)))
                .one();
    }

    /** Every pending token of the user stops working: their address changed. */
    /** Erasure: the user's links are deleted, with the address an email change would have confirmed. */
    public Mono<Void> deleteAll(UUID userId) {
        return db.sql("DELETE FROM password_tokens WHERE user_id = :user").bind("user", userId).then();
    }

    public Mono<Void> revokeAll(UUID userId, Instant now) {
        return revoke(userId, java.util.EnumSet.allOf(Purpose.class), now);
    }

    /** Earlier tokens of a user stop working once a newer one is issued or a password is set. */
    public Mono<Void> revoke(UUID userId, java.util.Set<Purpose> purposes, Instant now) {
        return db.sql("UPDATE password_tokens SET used_at = :now WHERE user_id = :user AND used_at IS NULL AND purpose = ANY(:purposes)")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("user", userId)
                .bind("purposes", purposes.stream().map(PasswordTokens::wire).toArray(String[]::new)).then();
    }

    /** Whether the user still has an invitation they can use (they never set a password). */
    public Mono<Boolean> hasPendingInvitation(UUID userId, Instant now) {
        return db.sql("""
                SELECT count(*) AS n FROM password_tokens
                WHERE user_id = :user AND purpose = 'invitation' AND used_at IS NULL AND expires_at > :now""")
                .bind("user", userId).bind("now", now.atOffset(ZoneOffset.UTC))
                .map(row -> row.get("n", Long.class) > 0).one();
    }

    private static String wire(Purpose purpose) {
        return purpose.name().toLowerCase();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
