package eu.erpdetachement.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A request body reaches a service in pieces larger than Netty's default 8 KiB once the platform's
 * customizer is applied: the piece count is what an upload costs per byte (issue 14).
 */
class RequestBodyPiecesTest {

    @Test
    void a_large_body_arrives_in_pieces_of_more_than_8_kib_and_at_most_64_kib() throws Exception {
        byte[] body = new byte[4 * 1024 * 1024];
        AtomicInteger largest = new AtomicInteger();
        AtomicLong received = new AtomicLong();
        HttpServer server = new PlatformAutoConfiguration().requestBodyPieces().apply(HttpServer.create().port(0))
                .handle((request, response) -> request.receive()
                        .doOnNext(piece -> {
                            largest.accumulateAndGet(piece.readableBytes(), Math::max);
                            received.addAndGet(piece.readableBytes());
                        })
                        .then(Mono.defer(() -> response.sendString(Mono.just(Long.toString(received.get()))).then())));
        DisposableServer running = server.bindNow();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + running.port() + "/")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.body()).isEqualTo(Integer.toString(body.length));
            assertThat(largest.get()).isGreaterThan(8 * 1024).isLessThanOrEqualTo(PlatformAutoConfiguration.REQUEST_BODY_PIECE_BYTES);
        } finally {
            running.disposeNow();
        }
    }
}
