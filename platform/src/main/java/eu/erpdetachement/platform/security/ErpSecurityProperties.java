package eu.erpdetachement.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How access tokens are checked.
 *
 * @param issuer      the expected {@code iss} (the realm URL as clients see it)
 * @param jwksUri     where the signing keys are; may differ from the issuer's host inside a cluster
 * @param audience    the required {@code aud}
 * @param publicPaths extra paths served without a token (besides health, metrics and anonymous routes)
 */
@ConfigurationProperties("erp.security")
public record ErpSecurityProperties(String issuer, String jwksUri, String audience, List<String> publicPaths) {

    public ErpSecurityProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        if (jwksUri == null || jwksUri.isBlank()) {
            jwksUri = issuer + "/protocol/openid-connect/certs";
        }
    }
}
