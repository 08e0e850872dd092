package eu.erpdetachement.files.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The object store and the lifetimes of what the service hands out.
 *
 * @param endpoint        the S3 API as the service reaches it
 * @param publicEndpoint  the S3 API as clients reach it (presigned URLs are signed for this host)
 * @param uploadUrlTtl    lifetime of a presigned PUT (at most 15 minutes)
 * @param downloadUrlTtl  lifetime of a presigned GET
 * @param pendingTtl      how long a registered file may wait for its bytes before it expires
 */
@ConfigurationProperties("erp.files")
public record FilesProperties(String endpoint, String publicEndpoint, String region, String accessKey, String secretKey,
        String bucket, Duration uploadUrlTtl, Duration downloadUrlTtl, Duration pendingTtl) {

    public FilesProperties {
        publicEndpoint = publicEndpoint == null || publicEndpoint.isBlank() ? endpoint : publicEndpoint;
        uploadUrlTtl = uploadUrlTtl == null ? Duration.ofMinutes(15) : uploadUrlTtl;
        downloadUrlTtl = downloadUrlTtl == null ? Duration.ofMinutes(5) : downloadUrlTtl;
        pendingTtl = pendingTtl == null ? Duration.ofHours(24) : pendingTtl;
        if (uploadUrlTtl.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("erp.files.upload-url-ttl must be at most 15 minutes");
        }
    }
}
