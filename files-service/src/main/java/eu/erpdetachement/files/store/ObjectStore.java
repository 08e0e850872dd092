package eu.erpdetachement.files.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;

import eu.erpdetachement.files.config.FilesConfiguration.PresigningClient;
import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SourceObject;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The S3 API through the MinIO client. Its calls block, so they run on the bounded elastic
 * scheduler. Hashes are computed here, on the bytes as they stream, never by the server.
 */
@Component
public class ObjectStore {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ObjectStore.class);

    /** Multipart part size: the most of one upload held in memory at a time. */
    private static final long PART_SIZE = 5L * 1024 * 1024;
    /** Request body buffers requested ahead of the S3 client's reads. */
    private static final int BUFFERS_AHEAD = 8;

    private final MinioClient client;
    private final MinioClient presigner;
    private final StreamingPut streamingPut;

    public ObjectStore(MinioClient client, PresigningClient presigner, FilesProperties properties) {
        this.client = client;
        this.presigner = presigner.client();
        this.streamingPut = new StreamingPut(client, properties);
    }

    /** What the store holds under a key: its size and SHA-256, measured by reading it. */
    public record Measured(long sizeBytes, String sha256) {
    }

    public record PresignedUrl(String url, Instant expiresAt) {
    }

    public Mono<Void> ensureBucket(String bucket) {
        return blocking(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        }).then();
    }

    /** Whether the bucket exists; an error when the store does not answer (the S3 dependency probe). */
    public Mono<Boolean> bucketExists(String bucket) {
        return blocking(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    public Mono<PresignedUrl> presignPut(String bucket, String key, Duration ttl) {
        return blocking(() -> new PresignedUrl(presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.PUT).bucket(bucket).object(key).expiry((int) ttl.toSeconds(), TimeUnit.SECONDS)
                .build()), Instant.now().plus(ttl)));
    }

    public Mono<PresignedUrl> presignGet(String bucket, String key, Duration ttl, String downloadName, String mimeType) {
        String disposition = "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(downloadName,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return blocking(() -> new PresignedUrl(presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET).bucket(bucket).object(key).expiry((int) ttl.toSeconds(), TimeUnit.SECONDS)
                .extraQueryParams(Map.of("response-content-disposition", disposition, "response-content-type", mimeType))
                .build()), Instant.now().plus(ttl)));
    }

    /** Streams the stored object through SHA-256; empty when there is no such object. */
    public Mono<Measured> measure(String bucket, String key) {
        return blocking(() -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                MessageDigest sha256 = sha256();
                long size = 0;
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    sha256.update(buffer, 0, n);
                    size += n;
                }
                return new Measured(size, HexFormat.of().formatHex(sha256.digest()));
            } catch (io.minio.errors.ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return null;
                }
                throw e;
            }
        });
    }

    /**
     * Server-side copy of one object to another key of the same bucket; false when there is no
     * source object. The copy is made by the store, never by a client.
     */
    public Mono<Boolean> copy(String bucket, String sourceKey, String targetKey) {
        return blocking(() -> {
            try {
                client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(targetKey)
                        .source(SourceObject.builder().bucket(bucket).object(sourceKey).build()).build());
                return true;
            } catch (io.minio.errors.ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return false;
                }
                throw e;
            }
        });
    }

    public Mono<Void> delete(String bucket, String key) {
        return blocking(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        }).then();
    }

    /**
     * Streams a request body into the store while hashing it; never more than one part in memory.
     * More than {@code maxBytes} aborts the upload with {@link TooLarge}. The body is read as a
     * blocking stream with back-pressure (a few buffers ahead), on a thread that may block.
     */
    public Mono<Measured> upload(String bucket, String key, String mimeType, Flux<DataBuffer> content, long maxBytes) {
        return blocking(() -> {
            try (InputStream in = DataBufferUtils.subscriberInputStream(content, BUFFERS_AHEAD);
                    CappedDigestStream body = new CappedDigestStream(in, maxBytes)) {
                // CRC32, not the client's default CRC32C: the JDK's CRC32 is a CPU instruction, the client's
                // CRC32C a byte-at-a-time loop that took a tenth of an upload's CPU (docs/performance.md)
                client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).contentType(mimeType)
                        .checksum(Checksum.Algorithm.CRC32).stream(body, -1L, PART_SIZE).build());
                return new Measured(body.count(), HexFormat.of().formatHex(body.digest()));
            } catch (Exception e) {
                throw tooLargeOr(e); // the client wraps what the stream threw
            }
        });
    }

    /**
     * Streams a body of declared length into one PUT while hashing it, holding no more of it than
     * the buffers in flight. More bytes than declared fail with {@link TooLarge}, fewer with
     * {@link SizeMismatch}; the store keeps no object from either.
     */
    public Mono<Measured> put(String bucket, String key, String mimeType, Flux<DataBuffer> content, long sizeBytes) {
        return streamingPut.put(bucket, key, mimeType, content, sizeBytes)
                .onErrorMap(e -> !(e instanceof TooLarge || e instanceof SizeMismatch), e -> {
                    log.warn("The PUT of an upload to the file store failed: {}", e.toString());
                    return unavailable();
                });
    }

    private static Exception tooLargeOr(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TooLarge tooLarge) {
                return tooLarge;
            }
        }
        return e;
    }

    /** Thrown when a streamed body exceeds its limit. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    /** Thrown when a streamed body ends before its declared length. */
    public static final class SizeMismatch extends RuntimeException {
        private final long received;

        public SizeMismatch(long declared, long received) {
            super("declared " + declared + " bytes, received " + received);
            this.received = received;
        }

        public long received() {
            return received;
        }
    }

    /** Counts and hashes what passes through, and refuses to pass more than a limit. */
    private static final class CappedDigestStream extends DigestInputStream {
        private final long limit;
        private long count;

        CappedDigestStream(InputStream in, long limit) {
            super(in, sha256());
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge(limit);
            }
        }

        long count() {
            return count;
        }

        byte[] digest() {
            return getMessageDigest().digest();
        }
    }

    private interface BlockingCall<T> {
        T call() throws Exception;
    }

    private static <T> Mono<T> blocking(BlockingCall<T> call) {
        return Mono.fromCallable(call::call).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(ObjectStore::storeFailed, e -> unavailable());
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                "The file store is unavailable; nothing was changed. Try again later.");
    }

    /**
     * Whether the store failed the call (did not answer in time, refused, broke the connection, or
     * answered an error): a 503 for the client, never a 500. A body over its limit is the client's.
     */
    static boolean storeFailed(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TooLarge) {
                return false;
            }
        }
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof java.io.InterruptedIOException || e instanceof java.net.SocketException
                    || e instanceof java.net.UnknownHostException || e instanceof io.minio.errors.MinioException) {
                return true;
            }
        }
        return false;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
