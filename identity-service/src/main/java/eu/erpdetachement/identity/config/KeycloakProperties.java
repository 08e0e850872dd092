package eu.erpdetachement.identity.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Where Keycloak is and the confidential client this service uses; the secret never leaves the service. */
@ConfigurationProperties("erp.keycloak")
public record KeycloakProperties(String url, String realm, String clientId, String clientSecret) {

    public String tokenEndpoint() {
        return url + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    public String logoutEndpoint() {
        return url + "/realms/" + realm + "/protocol/openid-connect/logout";
    }
}
