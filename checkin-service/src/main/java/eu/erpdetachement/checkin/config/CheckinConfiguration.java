package eu.erpdetachement.checkin.config;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.checkin.app.DefaultCheckinSettings;
import eu.erpdetachement.checkin.app.TenantCheckinSettings;

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
    TenantCheckinSettings tenantCheckinSettings() {
        return new DefaultCheckinSettings();
    }
}
