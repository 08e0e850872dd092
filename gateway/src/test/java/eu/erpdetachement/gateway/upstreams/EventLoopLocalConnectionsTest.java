package eu.erpdetachement.gateway.upstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * A front server forwards each request to an upstream through the connections under test, as the
 * gateway does, and answers whether the upstream connection lives on the event loop serving the
 * request. Reactor Netty's own pool hands any loop's connection to any request.
 */
class EventLoopLocalConnectionsTest {

    private final DisposableServer upstream = HttpServer.create().port(0)
            .handle((request, response) -> response.sendString(Mono.just("upstream")))
            .bindNow();
    private final EventLoopLocalConnections connections =
            new EventLoopLocalConnections(() -> ConnectionProvider.builder("test").maxConnections(2).build());
    private final HttpClient toUpstream = HttpClient.create(connections).port(upstream.port());
    private final DisposableServer front = HttpServer.create().port(0)
            .handle((request, response) -> {
                EventLoop serving = (EventLoop) ThreadExecutorMap.currentExecutor();
                return response.sendString(toUpstream.get().uri("/")
                        .responseConnection((answer, connection) -> Mono.just(
                                connection.channel().eventLoop() == serving ? "same loop" : "another loop"))
                        .next());
            })
            .bindNow();

    @AfterEach
    void stop() {
        front.disposeNow();
        connections.dispose();
        upstream.disposeNow();
    }

    @Test
    void a_forwarded_request_gets_a_connection_of_its_own_event_loop() {
        // 16 client connections spread over the server's loops, 200 requests on them
        ConnectionProvider clients = ConnectionProvider.builder("clients").maxConnections(16).build();
        HttpClient client = HttpClient.create(clients).port(front.port());
        List<String> answers = Flux.range(0, 200)
                .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString(), 16)
                .collectList()
                .block(Duration.ofSeconds(30));
        clients.dispose();

        assertThat(answers).hasSize(200).containsOnly("same loop");
    }

    @Test
    void a_caller_off_the_event_loops_is_served_from_the_shared_pool() {
        assertThat(connections.poolOfCurrentThread()).isSameAs(connections.poolOfCurrentThread());
        String answer = toUpstream.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("upstream");
    }

    @Test
    void disposing_closes_every_pool() {
        Flux.range(0, 20).flatMap(i -> HttpClient.create().port(front.port()).get().uri("/")
                .responseContent().aggregate().asString(), 8).blockLast(Duration.ofSeconds(30));

        connections.disposeLater().block(Duration.ofSeconds(10));

        assertThat(connections.isDisposed()).isTrue();
    }
}
