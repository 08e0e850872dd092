package eu.erpdetachement.platform.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.revocation.CallerStateLookup;
import eu.erpdetachement.platform.revocation.RevocationPolicy;

/**
 * Every service (and the gateway) is an OAuth2 resource server: Keycloak-signed JWTs, checked for
 * issuer, audience, expiry (10 s of clock skew at most) and the tenant claims, then judged by the
 * caller's current state where the service keeps one. No session; 401/403 answer problem+json.
 */
@AutoConfiguration
@EnableWebFluxSecurity
@EnableConfigurationProperties(ErpSecurityProperties.class)
public class ResourceServerConfiguration {

    /** Details a client may read (the token holder is the user); a decoder's own messages are not shown. */
    private static final Set<String> REVOCATION_REASONS = Set.of(RevocationPolicy.SESSION_ENDED,
            RevocationPolicy.DEACTIVATED, RevocationPolicy.NOT_THIS_USER);

    private static final List<String> OPERATIONAL_PATHS = List.of(
            "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus");

    /** Tokens a service remembers decoded: each ~3 KB with its text, a few MB in all. */
    private static final long DECODED_TOKENS = 2_000;

    /**
     * No observation (span and timer) of each security filter, authentication and authorization: no
     * dashboard, alert or trace reader uses them. Turned off here, not by {@code management.observations.enable}:
     * that leaves the filter chain wrapped in observing decorators that then observe nothing, a few
     * percent of a request's CPU (decision 0045). The request's own observation ({@code http.server.requests}) stays.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(ErpSecurityProperties properties) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri()).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew()); // 60 s by default: too long a grace
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithValidators(List.of(timestamps, new JwtIssuerValidator(properties.issuer()))),
                new CallerClaimsValidator(properties.audience())));
        return new CachingJwtDecoder(decoder, timestamps, DECODED_TOKENS, properties.clockSkew(), Clock.systemUTC());
    }

    /**
     * Spring Security's strict firewall, every check of it kept, with the header rule evaluated by
     * {@link HeaderCharacters} instead of a regular expression on every header read.
     */
    @Bean
    @ConditionalOnMissingBean
    ServerWebExchangeFirewall serverWebExchangeFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedInName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedInValue);
        return firewall;
    }

    /** Services that keep caller state ({@link CallerStateLookup} bean) judge each token by it. */
    @Bean
    CallerAuthenticationConverter callerAuthenticationConverter(ObjectProvider<CallerStateLookup> states) {
        return new CallerAuthenticationConverter(states.getIfAvailable());
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            CallerAuthenticationConverter callers, ErpSecurityProperties properties, RbacMatrix rbac,
            ProblemResponses problems) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges
                        .matchers(publicRequests(properties, rbac)).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(new BearerTokens())
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(callers))
                        .authenticationEntryPoint((exchange, ex) -> {
                            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                            boolean badToken = ex instanceof InvalidBearerTokenException
                                    || exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
                            String detail = ex instanceof InvalidBearerTokenException revoked
                                    && REVOCATION_REASONS.contains(revoked.getMessage())
                                    ? revoked.getMessage() : "The access token is invalid or expired.";
                            return badToken
                                    ? problems.write(exchange, ProblemType.INVALID_TOKEN, detail)
                                    : problems.write(exchange, ProblemType.UNAUTHENTICATED, "A bearer access token is required.");
                        })
                        .accessDeniedHandler((exchange, ex) ->
                                problems.write(exchange, ProblemType.FORBIDDEN, "Not allowed for this role.")))
                .build();
    }

    private static ServerWebExchangeMatcher publicRequests(ErpSecurityProperties properties, RbacMatrix rbac) {
        List<ServerWebExchangeMatcher> matchers = new ArrayList<>();
        OPERATIONAL_PATHS.forEach(p -> matchers.add(new PathPatternParserServerWebExchangeMatcher(p)));
        properties.publicPaths().forEach(p -> matchers.add(new PathPatternParserServerWebExchangeMatcher(p)));
        rbac.routesWithoutRequiredToken().forEach(route ->
                matchers.add(new PathPatternParserServerWebExchangeMatcher(route.path(), route.method())));
        return new OrServerWebExchangeMatcher(matchers);
    }
}
