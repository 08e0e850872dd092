package eu.erpdetachement.checkin.config;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.checkin.app.ProjectedCheckinSettings;
import eu.erpdetachement.checkin.app.TenantCheckinSettings;
import eu.erpdetachement.platform.settings.TenantSettingsView;

@Configuration(proxyBeanMethods = false)
public class CheckinConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }

    @Bean
    @ConditionalOnMissingBean
    TenantCheckinSettings tenantCheckinSettings(TenantSettingsView view) {
        return new ProjectedCheckinSettings(view);
    }
}
