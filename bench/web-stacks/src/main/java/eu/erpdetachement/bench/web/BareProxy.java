package eu.erpdetachement.bench.web;

import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The floor under the gateway, for the bench's section 10: Reactor Netty alone, no Spring, forwarding
 * each request (method, path, headers, body) to one upstream and its answer back. What the gateway
 * costs above this is its stack (WebFlux, Spring Security, Spring Cloud Gateway, observation), not
 * the data plane. Arguments: port, upstream URL, a file it writes once it serves.
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("Usage: BareProxy <port> <upstream URL> <ready file>");
        }
        HttpClient upstream = HttpClient.create(ConnectionProvider.create("upstream", 500)).baseUrl(args[1]);
        DisposableServer server = HttpServer.create().port(Integer.parseInt(args[0]))
                .handle((request, response) -> upstream
                        .headers(headers -> headers.set(request.requestHeaders()).remove(HttpHeaderNames.HOST))
                        .request(request.method()).uri(request.uri()).send(request.receive().retain())
                        .response((answer, body) -> response.status(answer.status()).headers(answer.responseHeaders())
                                .send(body.retain())))
                .bindNow();
        Files.writeString(Path.of(args[2]), "ready");
        server.onDispose().block();
    }
}
