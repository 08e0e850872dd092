package eu.erpdetachement.files.store;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import eu.erpdetachement.files.config.FilesProperties;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.timeout.WriteTimeoutHandler;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One S3 PUT of a body whose length the client declared, signed by a presigned URL (so with an
 * unsigned payload): the bytes go from the client's request to the store as they arrive, hashed
 * once on the way (the SHA-256 the file is verified by). Nothing is buffered beyond the buffers in
 * flight, and nothing is hashed a second time to sign it, which the S3 client does for every part
 * over plain HTTP (docs/performance.md, issue 14).
 *
 * <p>Every wait is bounded: the connection by the connect timeout, each write by the read timeout
 * (a store that stops reading), the answer by the read timeout after the last byte was sent.
 */
final class StreamingPut {

    /** The URL only has to outlive the wait for a pooled connection; S3 checks it when the request starts. */
    private static final int URL_TTL_SECONDS = 300;

    private final MinioClient signer;
    private final HttpClient http;

    StreamingPut(MinioClient signer, FilesProperties properties) {
        this.signer = signer;
        Duration readTimeout = properties.readTimeout();
        ConnectionProvider connections = ConnectionProvider.builder("s3-put").maxConnections(64)
                .pendingAcquireTimeout(properties.connectTimeout())
                // closed before the store drops them idle, so that no body is written to a connection it has closed
                .maxIdleTime(Duration.ofSeconds(10)).build();
        this.http = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(readTimeout)
                // a retry would subscribe to the request body again, which can be read only once
                .disableRetry(true)
                .doOnRequest((request, connection) -> connection.addHandlerLast("s3-write-timeout",
                        new WriteTimeoutHandler(readTimeout.toMillis(), TimeUnit.MILLISECONDS)));
    }

    /**
     * Streams exactly {@code sizeBytes} bytes to the key. More bytes fail with
     * {@link ObjectStore.TooLarge}, fewer with {@link ObjectStore.SizeMismatch}, both before the
     * store could take the object; any other failure is the store's.
     */
    Mono<ObjectStore.Measured> put(String bucket, String key, String mimeType, Flux<DataBuffer> content, long sizeBytes) {
        return Mono.defer(() -> {
            String url;
            try {
                url = signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.PUT)
                        .bucket(bucket).object(key).expiry(URL_TTL_SECONDS, TimeUnit.SECONDS).build());
            } catch (Exception e) {
                return Mono.error(e);
            }
            HashedBody body = new HashedBody(sizeBytes);
            return http.headers(headers -> headers.set(HttpHeaderNames.CONTENT_LENGTH, sizeBytes)
                            .set(HttpHeaderNames.CONTENT_TYPE, mimeType))
                    .put().uri(url)
                    // map, not handle: Reactor restores the thread locals of the context around every
                    // handle call (decision 0030), once per buffer of the body
                    .send(content.map(body::pass).concatWith(Mono.defer(body::complete)))
                    .responseSingle((response, answer) -> response.status().code() / 100 == 2
                            ? Mono.just(body.measured())
                            : answer.asString().defaultIfEmpty("").flatMap(text -> Mono.error(new StoreRefused(
                                    response.status().code(), text))));
        });
    }

    /** Counts and hashes the buffers on their way to the store, and stops them at the declared length. */
    private static final class HashedBody {
        private final long declared;
        private final MessageDigest sha256 = ObjectStore.sha256();
        private long count;

        HashedBody(long declared) {
            this.declared = declared;
        }

        /** The buffer as Netty's, hashed and counted; more than the declared length fails the body. */
        ByteBuf pass(DataBuffer buffer) {
            count += buffer.readableByteCount();
            if (count > declared) {
                DataBufferUtils.release(buffer);
                throw Exceptions.propagate(new ObjectStore.TooLarge(declared)); // unwrapped by the operator
            }
            try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
                while (views.hasNext()) {
                    sha256.update(views.next());
                }
            }
            return NettyDataBufferFactory.toByteBuf(buffer);
        }

        /** Fails a body that ended short, so that the request is cut instead of left waiting for bytes. */
        Mono<ByteBuf> complete() {
            return count == declared ? Mono.empty() : Mono.error(new ObjectStore.SizeMismatch(declared, count));
        }

        ObjectStore.Measured measured() {
            return new ObjectStore.Measured(count, HexFormat.of().formatHex(sha256.digest()));
        }
    }

    /** The store answered the PUT with an error status. */
    static final class StoreRefused extends RuntimeException {
        StoreRefused(int status, String answer) {
            super("the store answered " + status + ": " + answer.substring(0, Math.min(answer.length(), 500)));
        }
    }
}
