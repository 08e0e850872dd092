package eu.erpdetachement.identity.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services that hold parts of a personal-data export are (their internal routes, platform
 * PersonalDataRoutes), and the bounds of each call: a part that does not connect or answer in time
 * fails the whole export with a 503.
 */
@ConfigurationProperties("erp.personal-data")
public record PersonalDataProperties(String filesUrl, String checkinUrl,
        @DefaultValue("PT2S") Duration connectTimeout, @DefaultValue("PT10S") Duration readTimeout) {
}
