package eu.erpdetachement.gateway.upstreams;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
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
 * server's, colocated), so each loop's pool holds that loop's connections only. A caller off the
 * event loops (e.g. after a blocking step) uses one pool shared by all such callers. Each pool
 * applies the configured limits by itself: the limits hold per loop.
 */
final class EventLoopLocalConnections implements ConnectionProvider {

    private final Supplier<ConnectionProvider> newPool;
    private final ConnectionProvider offLoop;
    private final Map<EventExecutor, ConnectionProvider> perLoop = new ConcurrentHashMap<>();

    EventLoopLocalConnections(Supplier<ConnectionProvider> newPool) {
        this.newPool = newPool;
        this.offLoop = newPool.get();
    }

    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
            Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
        // chosen when subscribed: the thread that subscribes is the one whose loop the request runs on
        return Mono.defer(() -> poolOfCurrentThread().acquire(config, observer, remoteAddress, resolverGroup));
    }

    /** The pool of the event loop running this thread, or the shared one off the event loops. */
    ConnectionProvider poolOfCurrentThread() {
        EventExecutor executor = ThreadExecutorMap.currentExecutor();
        if (!(executor instanceof EventLoop loop) || !loop.inEventLoop()) {
            return offLoop;
        }
        return perLoop.computeIfAbsent(loop, l -> newPool.get());
    }

    @Override
    public Mono<Void> disposeLater() {
        List<Mono<Void>> pools = new ArrayList<>();
        perLoop.values().forEach(pool -> pools.add(pool.disposeLater()));
        pools.add(offLoop.disposeLater());
        return Mono.when(pools);
    }

    @Override
    public void dispose() {
        perLoop.values().forEach(ConnectionProvider::dispose);
        offLoop.dispose();
    }

    @Override
    public boolean isDisposed() {
        return offLoop.isDisposed();
    }

    @Override
    public void disposeWhen(SocketAddress address) {
        perLoop.values().forEach(pool -> pool.disposeWhen(address));
        offLoop.disposeWhen(address);
    }

    @Override
    public int maxConnections() {
        return offLoop.maxConnections();
    }

    @Override
    public String name() {
        return offLoop.name();
    }
}
