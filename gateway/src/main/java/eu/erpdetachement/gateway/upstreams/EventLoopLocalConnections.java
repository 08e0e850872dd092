package eu.erpdetachement.gateway.upstreams;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * Upstream connections kept per event loop: a request forwarded from an event loop gets a
 * connection that lives on that same loop, so the gateway reads the client's request, writes it
 * upstream, reads the answer and writes it back on one thread. Reactor Netty's pool is one per
 * upstream address and hands out connections of any loop; each hand-over between loops is a
 * queued task and a thread wake-up, twice per request (decision 0045).
 *
 * <p>A new connection opens on the loop that asks for it (Reactor Netty's client loops are the
 * server's, colocated), so each loop's pool holds that loop's connections only. The configured pool
 * serves callers off the client's event loops (e.g. after a blocking step); each loop's pool is a
 * copy of it under its own name, so each applies the configured limits by itself. A provider that
 * is not a pool (Spring Cloud Gateway's pool type {@code DISABLED}) is used as it is.
 */
final class EventLoopLocalConnections implements ConnectionProvider {

    private final ConnectionProvider configured;
    private final Map<EventExecutor, ConnectionProvider> perLoop = new ConcurrentHashMap<>();
    private final AtomicBoolean disposed = new AtomicBoolean();
    private final AtomicInteger named = new AtomicInteger();

    EventLoopLocalConnections(ConnectionProvider configured) {
        this.configured = configured;
    }

    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
            Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
        // chosen when subscribed: the thread that subscribes is the one whose loop the request runs on
        return Mono.defer(() -> poolOfCurrentThread(config).acquire(config, observer, remoteAddress, resolverGroup));
    }

    /** The pool of the client event loop running this thread, or the configured one. */
    ConnectionProvider poolOfCurrentThread(TransportConfig config) {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        if (!(executor instanceof EventLoop loop) || !loop.inEventLoop() || disposed.get()) {
            return configured;
        }
        ConnectionProvider pool = perLoop.get(loop); // no lock on the way of every request
        if (pool != null) {
            return pool;
        }
        if (configured.mutate() == null || !isClientLoop(loop, config)) {
            return configured;
        }
        return perLoop.computeIfAbsent(loop, l -> configured.mutate().name(configured.name() + "-loop-" + named.incrementAndGet()).build());
    }

    /** A loop of another group (a driver's own) would open its connections elsewhere: not worth a pool. */
    private static boolean isClientLoop(EventLoop loop, TransportConfig config) {
        EventLoopGroup group = config.loopResources().onClient(config.isPreferNative());
        for (EventExecutor member : group) {
            if (member == loop) {
                return true;
            }
        }
        return false;
    }

    int loopPools() {
        return perLoop.size();
    }

    @Override
    public Mono<Void> disposeLater() {
        return Mono.defer(() -> {
            disposed.set(true);
            List<Mono<Void>> pools = new ArrayList<>();
            perLoop.values().forEach(pool -> pools.add(pool.disposeLater()));
            pools.add(configured.disposeLater());
            return Mono.when(pools);
        });
    }

    @Override
    public void dispose() {
        disposed.set(true);
        perLoop.values().forEach(ConnectionProvider::dispose);
        configured.dispose();
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    @Override
    public void disposeWhen(SocketAddress address) {
        perLoop.values().forEach(pool -> pool.disposeWhen(address));
        configured.disposeWhen(address);
    }

    @Override
    public int maxConnections() {
        return configured.maxConnections();
    }

    @Override
    public Map<SocketAddress, Integer> maxConnectionsPerHost() {
        return configured.maxConnectionsPerHost();
    }

    @Override
    public Builder mutate() {
        return configured.mutate();
    }

    @Override
    public String name() {
        return configured.name();
    }
}
