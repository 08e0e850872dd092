package eu.erpdetachement.platform.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.PathPatternParserServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.rbac.RbacMatrix;

/**
 * Every service (and the gateway) is an OAuth2 resource server: Keycloak-signed JWTs, checked for
 * issuer, audience, expiry and the tenant claims. Stateless; 401/403 answer problem+json.
 */
@AutoConfiguration
@EnableWebFluxSecurity
@EnableConfigurationProperties(ErpSecurityProperties.class)
public class ResourceServerConfiguration {

    private static final List<String> OPERATIONAL_PATHS = List.of(
            "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus");

    @Bean
    @ConditionalOnMissingBean
    ReactiveJwtDecoder jwtDecoder(ErpSecurityProperties properties) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()),
                new CallerClaimsValidator(properties.audience())));
        return decoder;
    }

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
            ErpSecurityProperties properties, RbacMatrix rbac, ProblemResponses problems) {
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
                        .jwt(jwt -> jwt.jwtDecoder(decoder))
                        .authenticationEntryPoint((exchange, ex) -> {
                            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
                            boolean badToken = ex instanceof InvalidBearerTokenException
                                    || exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
                            return badToken
                                    ? problems.write(exchange, ProblemType.INVALID_TOKEN, "The access token is invalid or expired.")
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
