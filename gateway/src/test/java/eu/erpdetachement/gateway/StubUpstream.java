package eu.erpdetachement.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;

/**
 * A plain HTTP server standing in for a service behind the gateway: it answers every request with
 * 200 and {@code {}}, and keeps the headers of each request it was sent, in order.
 */
record StubUpstream(HttpServer server, LinkedBlockingQueue<Headers> received) {

    static StubUpstream start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LinkedBlockingQueue<Headers> received = new LinkedBlockingQueue<>();
            server.createContext("/", exchange -> {
                received.add(exchange.getRequestHeaders());
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new StubUpstream(server, received);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    /** What every gateway IT needs: the test issuer's keys, the gateway's schema, a free management port. */
    static void gatewayProperties(DynamicPropertyRegistry registry, TestTokens tokens) {
        tokens.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("management.server.port", () -> 0);
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + TestPostgres.server().getPort()
                + "/erp?currentSchema=gateway");
        registry.add("spring.datasource.username", () -> "gateway_svc");
        registry.add("spring.datasource.password", () -> "gateway_svc");
    }
}
