package eu.erpdetachement.files.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import eu.erpdetachement.files.app.ProjectedFileRules;
import eu.erpdetachement.files.app.TenantFileRulesSource;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.health.DependencyProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class FilesConfiguration {

    /**
     * Talks to the object store. Every call is bounded (the client waits 5 minutes by default), so a
     * store that accepts connections and never answers fails a request instead of holding it.
     */
    @Bean
    MinioClient minioClient(FilesProperties files) {
        MinioClient client = MinioClient.builder().endpoint(files.endpoint()).region(files.region())
                .credentials(files.accessKey(), files.secretKey()).build();
        client.setTimeout(files.connectTimeout().toMillis(), files.readTimeout().toMillis(), files.readTimeout().toMillis());
        return client;
    }

    /** Only signs URLs for clients: same credentials, the host clients reach. */
    @Bean
    PresigningClient presigningClient(FilesProperties files) {
        return new PresigningClient(MinioClient.builder().endpoint(files.publicEndpoint()).region(files.region())
                .credentials(files.accessKey(), files.secretKey()).build());
    }

    @Bean
    @ConditionalOnMissingBean
    TenantFileRulesSource tenantFileRules(TenantSettingsView view, FilesProperties files) {
        return new ProjectedFileRules(view, files.bucket());
    }

    /** The S3 API as this service sees it, for the DependencyUnreachable alert. */
    @Bean
    DependencyProbe s3Probe(MeterRegistry registry, ObjectStore objects, FilesProperties files) {
        return new DependencyProbe(registry, "s3", () -> objects.bucketExists(files.bucket()));
    }

    public record PresigningClient(MinioClient client) {
    }
}
