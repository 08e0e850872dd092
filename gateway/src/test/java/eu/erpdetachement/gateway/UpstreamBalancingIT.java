package eu.erpdetachement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.platform.testkit.TestTokens;
import reactor.core.scheduler.Schedulers;

/**
 * A service given as a list of instances (decision 0024) is balanced round-robin: each instance
 * answers every other request. Two plain HTTP servers stand in for two identity instances.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UpstreamBalancingIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final List<StubUpstream> IDENTITY = List.of(StubUpstream.start(), StubUpstream.start());

    @LocalServerPort
    int port;

    @Autowired
    LoadBalancerClientFactory loadBalancers;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        StubUpstream.gatewayProperties(registry, TOKENS);
        registry.add("ERP_IDENTITY_URL", () -> IDENTITY.get(0).url() + "," + IDENTITY.get(1).url());
        registry.add("ERP_GATEWAY_LOGIN_PER_IP", () -> "1000/1m");
    }

    @AfterAll
    static void stop() {
        IDENTITY.forEach(StubUpstream::stop);
        TOKENS.close();
    }

    @Test
    void each_of_two_instances_answers_every_other_request() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        for (int i = 0; i < 10; i++) {
            client.post().uri("/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"email\":\"a@b.test\",\"password\":\"x\"}")
                    .exchange().expectStatus().isOk();
        }
        assertThat(IDENTITY).extracting(upstream -> upstream.received().size()).containsExactly(5, 5);
    }

    @Test
    void the_instances_are_handed_out_as_configured_with_no_task_scheduled() {
        ServiceInstanceListSupplier supplier = loadBalancers.getInstance("identity-service", ServiceInstanceListSupplier.class);
        AtomicInteger scheduled = new AtomicInteger();
        Thread caller = Thread.currentThread();
        Schedulers.onScheduleHook("count", task -> {
            if (Thread.currentThread() == caller) { // a timer is scheduled from the subscribing thread
                scheduled.incrementAndGet();
            }
            return task;
        });
        List<ServiceInstance> instances;
        try {
            // the discovery-client supplier set a timeout timer on a scheduler for every routed request
            instances = supplier.get().next().block();
        } finally {
            Schedulers.resetOnScheduleHook("count");
        }

        assertThat(scheduled).hasValue(0);
        assertThat(instances).extracting(ServiceInstance::getPort).containsExactly(
                IDENTITY.get(0).server().getAddress().getPort(), IDENTITY.get(1).server().getAddress().getPort());
    }
}
