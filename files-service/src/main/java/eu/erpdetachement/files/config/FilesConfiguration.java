package eu.erpdetachement.files.config;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.app.TenantFileLimits;
import eu.erpdetachement.files.domain.FileLimits;
import io.minio.MinioClient;
import reactor.core.publisher.Mono;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class FilesConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }

    /** Talks to the object store. */
    @Bean
    MinioClient objectStore(FilesProperties files) {
        return MinioClient.builder().endpoint(files.endpoint()).region(files.region())
                .credentials(files.accessKey(), files.secretKey()).build();
    }

    /** Only signs URLs for clients: same credentials, the host clients reach. */
    @Bean
    PresigningClient presigningClient(FilesProperties files) {
        return new PresigningClient(MinioClient.builder().endpoint(files.publicEndpoint()).region(files.region())
                .credentials(files.accessKey(), files.secretKey()).build());
    }

    @Bean
    @ConditionalOnMissingBean
    TenantFileLimits tenantFileLimits() {
        return tenantId -> Mono.just(FileLimits.defaults());
    }

    public record PresigningClient(MinioClient client) {
    }
}
