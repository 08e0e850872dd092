package eu.erpdetachement.gateway.upstreams;

import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Where the routes' {@code lb://} services live (decision 0024), and how the gateway connects to them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UpstreamProperties.class)
@LoadBalancerClients(defaultConfiguration = UpstreamInstancesPerService.class)
public class UpstreamsConfiguration {

    @Bean
    StaticUpstreams staticUpstreams(UpstreamProperties properties) {
        return new StaticUpstreams(properties);
    }

    /** Spring Cloud Gateway's HTTP client, every setting as configured, its connections kept per event loop (decision 0045). */
    @Bean
    HttpClientFactory gatewayHttpClientFactory(HttpClientProperties properties, ServerProperties server,
            List<HttpClientCustomizer> customizers, HttpClientSslConfigurer ssl) {
        return new HttpClientFactory(properties, server, ssl, customizers) {
            @Override
            protected ConnectionProvider buildConnectionProvider(HttpClientProperties configured) {
                return new EventLoopLocalConnections(super.buildConnectionProvider(configured));
            }

            @Override
            protected void destroyInstance(HttpClient client) {
                client.configuration().connectionProvider().dispose(); // every loop's pool with it
            }
        };
    }
}
