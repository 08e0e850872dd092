package eu.erpdetachement.checkin.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import eu.erpdetachement.checkin.app.ProjectedCheckinSettings;
import eu.erpdetachement.checkin.app.TenantCheckinSettings;
import eu.erpdetachement.platform.settings.TenantSettingsView;

@Configuration(proxyBeanMethods = false)
public class CheckinConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantCheckinSettings tenantCheckinSettings(TenantSettingsView view) {
        return new ProjectedCheckinSettings(view);
    }
}
