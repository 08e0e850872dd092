package eu.erpdetachement.gateway.upstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
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

    private final Queue<Channel> upstreamConnections = new ConcurrentLinkedQueue<>();
    private final DisposableServer upstream = HttpServer.create().port(0)
            .doOnConnection(connection -> upstreamConnections.add(connection.channel()))
            .handle((request, response) -> response.sendString(Mono.just("upstream")))
            .bindNow();
    // no bound on waiting requests, as Spring Cloud Gateway's pools: a test must not fail on how loops were assigned
    private final EventLoopLocalConnections connections = new EventLoopLocalConnections(
            ConnectionProvider.builder("test").maxConnections(2).pendingAcquireMaxCount(-1).build());
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
        List<String> answers = forward(200);

        assertThat(answers).hasSize(200).containsOnly("same loop");
        assertThat(connections.loopPools()).isPositive();
    }

    @Test
    void a_caller_off_the_event_loops_is_served_from_the_configured_pool() {
        String answer = toUpstream.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("upstream");
        assertThat(connections.loopPools()).isZero();
    }

    @Test
    void disposing_closes_every_loops_connections() throws InterruptedException {
        forward(50);
        assertThat(upstreamConnections).isNotEmpty();

        connections.disposeLater().block(Duration.ofSeconds(10));

        assertThat(connections.isDisposed()).isTrue();
        for (Channel channel : upstreamConnections) {
            assertThat(channel.closeFuture().await(10, TimeUnit.SECONDS)).as("closed: %s", channel).isTrue();
        }
    }

    /** {@code requests} through the front server from 16 client connections spread over its loops. */
    private List<String> forward(int requests) {
        ConnectionProvider clients = ConnectionProvider.builder("clients").maxConnections(16).build();
        try {
            HttpClient client = HttpClient.create(clients).port(front.port());
            return Flux.range(0, requests)
                    .flatMap(i -> client.get().uri("/").responseContent().aggregate().asString(), 16)
                    .collectList()
                    .block(Duration.ofSeconds(30));
        } finally {
            clients.dispose();
        }
    }
}
