package eu.erpdetachement.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import reactor.core.publisher.Mono;

/**
 * Remembers the tokens it decoded: a client sends the same access token with every request of its
 * five-minute life, and decoding it (Base64, JSON, the RSA signature, the validators) each time was
 * a tenth of a request's CPU (docs/performance.md). Only a token that decoded and validated is
 * kept, under its exact text (a forged or altered token is another string, so it is decoded), and
 * only until it expires; on every hit the time validators run again. What a token's claims no
 * longer grant (role change, deactivation, sign-out) is judged after decoding, by the caller's
 * state, so a cached token is refused as promptly as a new one.
 */
public final class CachingJwtDecoder implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> onEveryUse;
    private final Cache<String, Jwt> decoded;

    /**
     * @param onEveryUse the validators whose answer changes with time (expiry, not-before), run on every hit
     * @param graceAfterExpiry how long after its {@code exp} an entry may stay (the accepted clock skew)
     */
    public CachingJwtDecoder(ReactiveJwtDecoder delegate, OAuth2TokenValidator<Jwt> onEveryUse, long maximumTokens,
            Duration graceAfterExpiry, Clock clock) {
        this.delegate = delegate;
        this.onEveryUse = onEveryUse;
        this.decoded = Caffeine.newBuilder()
                .maximumSize(maximumTokens)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> {
                    Instant expiresAt = jwt.getExpiresAt();
                    Duration left = expiresAt == null ? Duration.ZERO
                            : Duration.between(clock.instant(), expiresAt.plus(graceAfterExpiry));
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = decoded.getIfPresent(token);
        if (known == null) {
            return delegate.decode(token).doOnNext(jwt -> decoded.put(token, jwt));
        }
        OAuth2TokenValidatorResult result = onEveryUse.validate(known);
        if (result.hasErrors()) {
            decoded.invalidate(token);
            return Mono.error(new JwtValidationException("The token is no longer valid", result.getErrors()));
        }
        return Mono.just(known);
    }

    /** How many tokens are remembered now (for tests). */
    long size() {
        decoded.cleanUp();
        return decoded.estimatedSize();
    }
}
