package eu.erpdetachement.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling; never a fixed sleep. */
public final class Readiness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Readiness() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier ready, ChildProcess process) {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(what + " exited while starting. Last log lines of " + process.log()
                        + ":\n" + process.tail(40));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " not ready after " + timeout.toSeconds() + " s"
                        + (process == null ? "" : ". Last log lines of " + process.log() + ":\n" + process.tail(40)));
            }
            try {
                Thread.sleep(250); // polling interval of the readiness check
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    public static boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails fast, naming the variable to change, when a port the stack needs is taken. */
    public static void requireFree(int port, String what) {
        if (portOpen(port)) {
            throw new IllegalStateException("Port " + port + " (" + what + ") is already in use. Stop what uses it, or set "
                    + what + " (and ERP_PORT_OFFSET) to move the stack.");
        }
    }
}
