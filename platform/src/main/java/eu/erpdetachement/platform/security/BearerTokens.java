package eu.erpdetachement.platform.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Reads the bearer token of the {@code Authorization} header as Spring Security's converter does —
 * {@code Bearer} in any case, one space, the RFC 6750 token characters, then {@code =} padding; a
 * malformed one is a 401 {@code invalid_token}; no token in the query — without its
 * case-insensitive regular expression over the whole token, 5 % of the gateway's CPU
 * (docs/performance.md). {@code BearerTokensTest} holds it to that expression.
 */
final class BearerTokens implements ServerAuthenticationConverter {

    private static final String SCHEME = "bearer";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        return Mono.fromCallable(() -> {
            String token = token(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
            return token == null ? null : new BearerTokenAuthenticationToken(token);
        });
    }

    /** The token of an Authorization header; null when the header is absent or of another scheme. */
    static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        int start = SCHEME.length() + 1;
        if (authorization.length() <= start || authorization.charAt(SCHEME.length()) != ' ') {
            throw malformed();
        }
        int end = authorization.length();
        while (end > start && authorization.charAt(end - 1) == '=') {
            end--; // padding
        }
        if (end == start) {
            throw malformed();
        }
        for (int i = start; i < end; i++) {
            if (!tokenCharacter(authorization.charAt(i))) {
                throw malformed();
            }
        }
        return authorization.substring(start);
    }

    private static boolean tokenCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static OAuth2AuthenticationException malformed() {
        return new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
    }
}
