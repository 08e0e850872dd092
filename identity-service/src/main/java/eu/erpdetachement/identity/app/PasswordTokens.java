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
 * Single-use tokens that let a user set a password: 256 random bits, given to the user once,
 * stored only as a SHA-256 hash, expiring, and consumed atomically.
 */
@Component
public class PasswordTokens {

    public enum Purpose {
        INVITATION(Duration.ofDays(7)), RESET(Duration.ofMinutes(30));

        final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }
    }

    public record Redeemed(UUID userId, UUID tenantId, Purpose purpose) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;

    public PasswordTokens(DatabaseClient db) {
        this.db = db;
    }

    /** Issues a token; answers the secret to put in the link. */
    public Mono<String> issue(UUID userId, UUID tenantId, Purpose purpose, Instant now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return db.sql("""
                INSERT INTO password_tokens (token_hash, user_id, tenant_id, purpose, expires_at)
                VALUES (:hash, :user, :tenant, :purpose, :expires)""")
                .bind("hash", hash(token)).bind("user", userId).bind("tenant", tenantId)
                .bind("purpose", purpose.name().toLowerCase())
                .bind("expires", now.plus(purpose.lifetime).atOffset(ZoneOffset.UTC))
                .then().thenReturn(token);
    }

    /** Marks the token used if it is valid now; empty when it is unknown, used or expired. */
    public Mono<Redeemed> redeem(String token, Instant now) {
        if (token == null || token.length() > 128) {
            return Mono.empty();
        }
        return db.sql("""
                UPDATE password_tokens SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                RETURNING user_id, tenant_id, purpose""")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("hash", hash(token))
                .map(row -> new Redeemed(row.get("user_id", UUID.class), row.get("tenant_id", UUID.class),
                        Purpose.valueOf(row.get("purpose", String.class).toUpperCase())))
                .one();
    }

    /** Earlier tokens of a user stop working once a newer one is issued or a password is set. */
    public Mono<Void> revokeAll(UUID userId, Instant now) {
        return db.sql("UPDATE password_tokens SET used_at = :now WHERE user_id = :user AND used_at IS NULL")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("user", userId).then();
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
