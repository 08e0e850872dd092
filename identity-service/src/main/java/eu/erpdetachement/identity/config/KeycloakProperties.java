package eu.erpdetachement.identity.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Keycloak is and the confidential client this service uses; the secret never leaves the service.
 * Every admin call is bounded by the connect and read timeouts: some run while a profile row is locked.
 */
@ConfigurationProperties("erp.keycloak")
public record KeycloakProperties(String url, String realm, String clientId, String clientSecret,
        @DefaultValue("PT2S") Duration connectTimeout, @DefaultValue("PT5S") Duration readTimeout) {

    public String tokenEndpoint() {
        return url + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    public String logoutEndpoint() {
        return url + "/realms/" + realm + "/protocol/openid-connect/logout";
    }
}
