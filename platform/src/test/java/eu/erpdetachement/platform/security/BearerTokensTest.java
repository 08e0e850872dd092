package eu.erpdetachement.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/** The loop reads what Spring Security's ServerBearerTokenAuthenticationConverter reads, and refuses what it refuses. */
class BearerTokensTest {

    /** Spring Security's own expression (ServerBearerTokenAuthenticationConverter), applied after its case-insensitive "bearer" prefix test. */
    private static final Pattern SPRING = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$", Pattern.CASE_INSENSITIVE);
    private static final String ALPHABET = "aZ09-._~+/= \t\u00e9:,Bearer";

    @Test
    void reads_and_refuses_as_the_framework_does_for_generated_headers() {
        Random random = new Random(7);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder header = new StringBuilder(random.nextInt(4) == 0 ? "" : random.nextBoolean() ? "Bearer " : "bEaReR");
            for (int i = random.nextInt(10); i > 0; i--) {
                header.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            assertSameAsSpring(header.toString());
        }
    }

    @Test
    void usual_and_edge_headers() {
        for (String header : new String[] {"Bearer abc.def-ghi_jkl~m+n/o==", "bearer x", "BEARER x", "Bearer ", "Bearer",
                "Bearer  x", "Bearer x y", "Bearer ==", "Bearer x=y", "Basic dXNlcjpwYXNz", "Bearerx", "Bearer\tx", ""}) {
            assertSameAsSpring(header);
        }
        assertThat(BearerTokens.token(null)).isNull();
    }

    private static void assertSameAsSpring(String header) {
        String expected;
        boolean refused = false;
        if (!header.regionMatches(true, 0, "bearer", 0, 6)) {
            expected = null;
        } else {
            Matcher m = SPRING.matcher(header);
            refused = !m.matches();
            expected = refused ? null : m.group("token");
        }
        if (refused) {
            assertThatThrownBy(() -> BearerTokens.token(header)).as("[%s]", header)
                    .isInstanceOf(OAuth2AuthenticationException.class);
        } else {
            assertThat(BearerTokens.token(header)).as("[%s]", header).isEqualTo(expected);
        }
    }
}
