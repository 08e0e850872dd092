package eu.erpdetachement.gateway.edge;

import java.net.InetSocketAddress;

import org.springframework.cloud.gateway.support.ipresolver.RemoteAddressResolver;
import org.springframework.cloud.gateway.support.ipresolver.XForwardedRemoteAddressResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * The client's address as the gateway sees it: the TCP peer, or with {@code trustedProxies} reverse
 * proxies in front of the gateway the address the outermost trusted one appended to
 * {@code X-Forwarded-For} (never an entry the client wrote). The one place the edge decides it: the
 * abuse limits count by it and the services' audit trail records it.
 */
public class ClientAddresses {

    private final RemoteAddressResolver resolver;

    public ClientAddresses(int trustedProxies) {
        this.resolver = trustedProxies > 0
                ? XForwardedRemoteAddressResolver.maxTrustedIndex(trustedProxies)
                : new RemoteAddressResolver() { }; // the TCP peer
    }

    /** The address as text, or "unknown". */
    public String of(ServerWebExchange exchange) {
        InetSocketAddress address = resolver.resolve(exchange);
        if (address == null) {
            return "unknown";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
