package eu.erpdetachement.identity.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the identity service's scheduled work: the Keycloak reconciliation. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class IdentityConfiguration {
}
