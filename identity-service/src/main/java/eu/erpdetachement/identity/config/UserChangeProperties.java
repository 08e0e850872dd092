package eu.erpdetachement.identity.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of a user change, which locks the profile (and, for role and status, the tenant's admins)
 * and calls Keycloak before it commits.
 *
 * @param timeout the whole change, Keycloak calls included; also how long it waits for another
 *                change's lock and how long PostgreSQL lets its transaction sit idle. Must exceed the
 *                Keycloak connect plus read timeout, so a slow Keycloak fails a call before the lock gives up.
 */
@ConfigurationProperties("erp.identity.user-change")
public record UserChangeProperties(@DefaultValue("PT15S") Duration timeout) {

    /** Refuses a configuration where one Keycloak call may outlive the change's locks. */
    public void requireLongerThan(KeycloakProperties keycloak) {
        Duration call = keycloak.connectTimeout().plus(keycloak.readTimeout());
        if (timeout.compareTo(call) <= 0) {
            throw new IllegalStateException("erp.identity.user-change.timeout (" + timeout
                    + ") must be longer than erp.keycloak.connect-timeout + read-timeout (" + call + ")");
        }
    }
}
