package eu.erpdetachement.platform.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How access tokens are checked.
 *
 * @param issuer      the expected {@code iss} (the realm URL as clients see it)
 * @param jwksUri     where the signing keys are; may differ from the issuer's host inside a cluster
 * @param audience    the required {@code aud}
 * @param publicPaths extra paths served without a token (besides health, metrics and anonymous routes)
 * @param clockSkew   how far {@code exp}/{@code nbf} may be off the local clock; at most 10 s (default 10 s)
 */
@ConfigurationProperties("erp.security")
public record ErpSecurityProperties(String issuer, String jwksUri, String audience, List<String> publicPaths,
        Duration clockSkew) {

    /** A revoked right outlives its revocation by no more than this, whatever the clocks say. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(10);

    public ErpSecurityProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        clockSkew = clockSkew == null ? MAX_CLOCK_SKEW : clockSkew;
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("erp.security.clock-skew must be between 0 and " + MAX_CLOCK_SKEW);
        }
        if (jwksUri == null || jwksUri.isBlank()) {
            jwksUri = issuer + "/protocol/openid-connect/certs";
        }
    }
}
