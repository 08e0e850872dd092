package eu.erpdetachement.identity.keycloak;

import java.time.Duration;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import eu.erpdetachement.identity.config.KeycloakProperties;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Mono;

/**
 * Sessions through Keycloak's OIDC token endpoint with the service's confidential client. Keycloak's
 * reasons (wrong password, unknown user, disabled, locked) all become one 401 so nothing tells
 * whether an account exists.
 */
@Component
public class KeycloakTokens {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };
    private final KeycloakProperties keycloak;
    private final WebClient http;
    /** A Keycloak that accepts the connection and never answers fails the call after this (503). */
    private final Duration timeout;

    public KeycloakTokens(KeycloakProperties keycloak, WebClient.Builder builder) {
        this.keycloak = keycloak;
        this.http = builder.build();
        this.timeout = keycloak.connectTimeout().plus(keycloak.readTimeout());
    }

    public Mono<TokenSet> passwordGrant(String email, String password) {
        MultiValueMap<String, String> form = clientForm();
        form.add("grant_type", "password");
        form.add("username", email);
        form.add("password", password);
        return tokens(form, ProblemType.INVALID_CREDENTIALS, "Invalid email or password.");
    }

    public Mono<TokenSet> refresh(String refreshToken) {
        MultiValueMap<String, String> form = clientForm();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        return tokens(form, ProblemType.INVALID_TOKEN, "The refresh token is invalid, expired or already used.");
    }

    /** Ends the Keycloak session the refresh token belongs to. */
    public Mono<Void> logout(String refreshToken) {
        MultiValueMap<String, String> form = clientForm();
        form.add("refresh_token", refreshToken);
        return http.post().uri(keycloak.logoutEndpoint())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .onStatus(HttpStatusCode::is4xxClientError, r -> r.releaseBody().then(Mono.error(
                        new ProblemException(ProblemType.INVALID_TOKEN, "The refresh token is invalid or expired."))))
                .onStatus(HttpStatusCode::is5xxServerError, r -> r.releaseBody().then(Mono.error(unavailable())))
                .toBodilessEntity()
                .timeout(timeout)
                .onErrorMap(KeycloakTokens::unreachable, e -> unavailable())
                .then();
    }

    private Mono<TokenSet> tokens(MultiValueMap<String, String> form, ProblemType rejection, String detail) {
        return http.post().uri(keycloak.tokenEndpoint())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form))
                .retrieve()
                .onStatus(HttpStatusCode::is4xxClientError,
                        r -> r.releaseBody().then(Mono.error(new ProblemException(rejection, detail))))
                .onStatus(HttpStatusCode::is5xxServerError, r -> r.releaseBody().then(Mono.error(unavailable())))
                .bodyToMono(JSON_OBJECT)
                .timeout(timeout)
                .onErrorMap(KeycloakTokens::unreachable, e -> unavailable())
                .map(body -> new TokenSet(
                        (String) body.get("access_token"),
                        (String) body.get("refresh_token"),
                        "Bearer",
                        ((Number) body.get("expires_in")).longValue()));
    }

    private MultiValueMap<String, String> clientForm() {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("client_id", keycloak.clientId());
        form.add("client_secret", keycloak.clientSecret());
        return form;
    }

    private static boolean unreachable(Throwable e) {
        return e instanceof WebClientRequestException || e instanceof java.util.concurrent.TimeoutException;
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The identity provider is unavailable.");
    }
}
