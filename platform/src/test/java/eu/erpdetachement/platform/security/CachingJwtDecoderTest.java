package eu.erpdetachement.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

class CachingJwtDecoderTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T08:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AtomicInteger decodes = new AtomicInteger();
    /** Decodes "good-*" tokens into a JWT that expires 5 minutes after now; refuses anything else. */
    private final ReactiveJwtDecoder keycloak = token -> {
        decodes.incrementAndGet();
        if (!token.startsWith("good-")) {
            return Mono.error(new BadJwtException("bad signature"));
        }
        return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject(token)
                .issuedAt(now.get()).expiresAt(now.get().plus(Duration.ofMinutes(5))).build());
    };
    private final CachingJwtDecoder decoder = new CachingJwtDecoder(keycloak, timestamps(), 100, Duration.ofSeconds(10), clock);

    private JwtTimestampValidator timestamps() {
        JwtTimestampValidator validator = new JwtTimestampValidator(Duration.ofSeconds(10));
        validator.setClock(clock);
        return validator;
    }

    @Test
    void a_token_seen_again_is_not_decoded_again() {
        Jwt first = decoder.decode("good-a").block();
        Jwt again = decoder.decode("good-a").block();

        assertThat(again).isSameAs(first);
        assertThat(decodes).hasValue(1);
    }

    @Test
    void another_text_is_decoded_even_when_it_differs_by_one_character() {
        decoder.decode("good-a").block();
        decoder.decode("good-b").block();

        assertThat(decodes).hasValue(2);
    }

    @Test
    void a_refused_token_is_not_remembered_and_is_refused_each_time() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> decoder.decode("forged").block()).isInstanceOf(BadJwtException.class);
        }
        assertThat(decodes).hasValue(2);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void a_remembered_token_is_refused_once_it_has_expired() {
        decoder.decode("good-a").block();
        now.set(now.get().plus(Duration.ofMinutes(5)).plusSeconds(11)); // past exp + the accepted skew

        assertThatThrownBy(() -> decoder.decode("good-a").block()).isInstanceOf(JwtValidationException.class);
        assertThat(decodes).hasValue(1);
    }

    @Test
    void a_remembered_token_within_its_life_and_the_skew_is_still_accepted() {
        decoder.decode("good-a").block();
        now.set(now.get().plus(Duration.ofMinutes(5)).plusSeconds(9));

        assertThat(decoder.decode("good-a").block()).isNotNull();
        assertThat(decodes).hasValue(1);
    }

    @Test
    void the_cache_holds_at_most_its_maximum() {
        CachingJwtDecoder small = new CachingJwtDecoder(keycloak, timestamps(), 10, Duration.ofSeconds(10), clock);
        for (int i = 0; i < 100; i++) {
            small.decode("good-" + i).block();
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }
}
