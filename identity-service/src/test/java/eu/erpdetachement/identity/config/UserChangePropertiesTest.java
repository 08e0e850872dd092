package eu.erpdetachement.identity.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class UserChangePropertiesTest {

    private static KeycloakProperties keycloak(Duration connect, Duration read) {
        return new KeycloakProperties("http://keycloak", "erp", "erp-identity", "secret", connect, read);
    }

    @Test
    void a_change_must_outlast_one_keycloak_call() {
        assertThatCode(() -> new UserChangeProperties(Duration.ofSeconds(15)).requireLongerThan(
                keycloak(Duration.ofSeconds(2), Duration.ofSeconds(5)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> new UserChangeProperties(Duration.ofSeconds(7)).requireLongerThan(
                keycloak(Duration.ofSeconds(2), Duration.ofSeconds(5))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("erp.identity.user-change.timeout");
    }
}
