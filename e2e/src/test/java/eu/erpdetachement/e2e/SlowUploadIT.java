package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.platform.testkit.OpenApiContract;

/**
 * A direct upload on a slow line goes through the gateway: sending the body takes longer than the
 * 30 s every other route is given, and the upload route's own bound (decision 0019) lets it finish.
 */
@ExtendWith(EmbeddedStack.class)
class SlowUploadIT {

    private static final long MIB = 1024 * 1024;
    /** About 4 Mbit/s: 20 MiB take about 40 s. */
    private static final long BYTES_PER_SECOND = 512 * 1024;

    @Test
    void a_20_mib_upload_at_4_mbit_per_second_through_the_gateway_succeeds() throws Exception {
        Api api = EmbeddedStack.gateway();
        String admin = EmbeddedStack.ACME_ADMIN.signIn(api);
        long size = 20 * MIB;
        String sha256 = FilesIT.Content.sha256(FilesIT.Content.stream(size, 41));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("storage_provider", "s3");
        metadata.put("bucket", "erp-files");
        metadata.put("path", "e2e/" + UUID.randomUUID() + "/slow-line.pdf");
        metadata.put("filename", "slow line.pdf");
        metadata.put("mime_type", "application/pdf");
        metadata.put("sha256_hash", sha256);
        String boundary = "erp-e2e-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + Api.JSON.writeValueAsString(metadata) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);

        long start = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(EmbeddedStack.stack().gatewayUrl() + "/v1/files"))
                .timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Throttled(new SequenceInputStream(
                        new ByteArrayInputStream(head), new SequenceInputStream(FilesIT.Content.stream(size, 41),
                                new ByteArrayInputStream(tail))), BYTES_PER_SECOND)))
                .build(), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("SLOW-UPLOAD 20 MiB at %d KiB/s through the gateway: %d in %.1f s%n",
                BYTES_PER_SECOND / 1024, response.statusCode(), took.toMillis() / 1000.0);

        OpenApiContract.load().assertResponse("POST", "/v1/files", response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        // the throttle makes it slower than the other routes' 30 s: the case this test is about
        assertThat(took).isGreaterThan(Duration.ofSeconds(30));
        String fileId = Api.JSON.readTree(response.body()).get("file_id").asString();
        Api.Reply file = api.get("/v1/files/" + fileId, admin);
        assertThat(file.json().get("size_bytes").asLong()).isEqualTo(size);
        assertThat(file.json().get("sha256_hash").asString()).isEqualTo(sha256);
    }

    /** Lets at most {@code rate} bytes a second through: a slow line, not a synchronisation. */
    private static final class Throttled extends InputStream {
        private final InputStream in;
        private final long rate;
        private final long start = System.nanoTime();
        private long sent;

        Throttled(InputStream in, long rate) {
            this.in = in;
            this.rate = rate;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long due = start + sent * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, 16 * 1024));
            if (n > 0) {
                sent += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
