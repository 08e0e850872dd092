package eu.erpdetachement.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dependency that accepts TCP connections and never answers: it reads what it is sent and throws
 * it away, never writes, never closes first. With a target port it forwards to that port until
 * {@link #swallow()} is called (so a service can start against the real dependency first); every
 * connection it swallowed is closed, never forwarded, once {@link #forward()} is called again. It
 * counts connections, and the ones their client closed (a client timeout at work).
 */
final class BlackHole implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> swallowed = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private volatile boolean swallowing;
    private volatile boolean closed;

    /** Swallows every connection. */
    BlackHole() throws IOException {
        this(0);
    }

    /** Forwards to {@code target} on this machine until {@link #swallow()}; 0: swallows from the start. */
    BlackHole(int target) throws IOException {
        this.target = target;
        this.swallowing = target == 0;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Swallowed connections their client has closed so far. */
    int closedByClient() {
        return closedByClient.get();
    }

    /** Swallowed connections still open. */
    int open() {
        return (int) swallowed.stream().filter(s -> !s.isClosed()).count();
    }

    /** From now on, nothing is forwarded: open connections and new ones are swallowed. */
    void swallow() {
        swallowing = true;
    }

    /** New connections are forwarded again; the swallowed ones are closed, what they carried is lost. */
    void forward() {
        swallowing = false;
        for (Socket socket : swallowed) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : swallowed) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                if (swallowing) {
                    Thread.ofVirtual().start(() -> swallowFrom(client));
                } else {
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    Thread.ofVirtual().start(() -> pump(client, upstream));
                    Thread.ofVirtual().start(() -> pump(upstream, client));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void swallowFrom(Socket client) {
        swallowed.add(client);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = client.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // read and dropped: the client can send all it wants and never hears back
            }
            closedByClient.incrementAndGet();
        } catch (IOException e) {
            // closed here (forward() or close())
        }
        closeQuietly(client);
    }

    /** Forwards one direction until a side closes; once swallowing, the rest is dropped and nothing answers. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (swallowing) {
                    // a connection open before the swallow: the client's side is swallowed from here on
                    Socket client = from.getLocalPort() == port() ? from : to;
                    closeQuietly(from == client ? to : from);
                    if (from == client) {
                        swallowFrom(client);
                    } else {
                        swallowed.add(client);
                    }
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed or failed
        }
        if (!swallowing) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
