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
 * @param connectTimeout  bound of opening a connection to the S3 API
 * @param readTimeout     bound of each wait on the S3 API (an answer, the next bytes, room to send more)
 * @param completeTimeout bound of a whole {@code :complete}, which copies and hashes the object while it
 *                        holds the file's row lock: also the transaction's {@code lock_timeout} and
 *                        {@code idle_in_transaction_session_timeout}; must exceed connect + read timeout
 *                        (decision 0019)
 */
@ConfigurationProperties("erp.files")
public record FilesProperties(String endpoint, String publicEndpoint, String region, String accessKey, String secretKey,
        String bucket, Duration uploadUrlTtl, Duration downloadUrlTtl, Duration pendingTtl, Duration connectTimeout,
        Duration readTimeout, Duration completeTimeout) {

    public FilesProperties {
        publicEndpoint = publicEndpoint == null || publicEndpoint.isBlank() ? endpoint : publicEndpoint;
        uploadUrlTtl = uploadUrlTtl == null ? Duration.ofMinutes(15) : uploadUrlTtl;
        downloadUrlTtl = downloadUrlTtl == null ? Duration.ofMinutes(5) : downloadUrlTtl;
        pendingTtl = pendingTtl == null ? Duration.ofHours(24) : pendingTtl;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
        completeTimeout = completeTimeout == null ? Duration.ofSeconds(25) : completeTimeout;
        if (uploadUrlTtl.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("erp.files.upload-url-ttl must be at most 15 minutes");
        }
        if (completeTimeout.compareTo(connectTimeout.plus(readTimeout)) <= 0) {
            // one S3 call must fail before the row lock it runs under is given up
            throw new IllegalArgumentException("erp.files.complete-timeout (" + completeTimeout
                    + ") must be longer than erp.files.connect-timeout + read-timeout (" + connectTimeout.plus(readTimeout) + ")");
        }
    }
}
