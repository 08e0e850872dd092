package eu.erpdetachement.gateway.upstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.client.ServiceInstance;

class StaticUpstreamsTest {

    @Test
    void a_comma_separated_list_becomes_one_instance_per_url() {
        UpstreamProperties properties = bind(Map.of(
                "erp.gateway.upstreams.checkin-service", "http://127.0.0.1:8083, http://10.0.0.7:18083,https://checkin.internal",
                "erp.gateway.upstreams.files-service", "http://localhost:8082"));

        List<ServiceInstance> checkin = new StaticUpstreams(properties).getInstances("checkin-service").collectList().block();

        assertThat(checkin).extracting(ServiceInstance::getUri).containsExactly(URI.create("http://127.0.0.1:8083"),
                URI.create("http://10.0.0.7:18083"), URI.create("https://checkin.internal:443"));
        assertThat(checkin).extracting(ServiceInstance::getInstanceId).doesNotHaveDuplicates();
        assertThat(new StaticUpstreams(properties).getInstances("files-service").collectList().block()).hasSize(1);
        assertThat(new StaticUpstreams(properties).getInstances("unknown").collectList().block()).isEmpty();
    }

    @Test
    void a_url_that_is_not_http_is_refused_at_start() {
        assertThatThrownBy(() -> new UpstreamProperties(Map.of("identity-service", List.of(URI.create("ftp://host:21")))))
                .hasMessageContaining("identity-service");
        assertThatThrownBy(() -> new UpstreamProperties(Map.of("identity-service", List.of(URI.create("localhost:8081")))))
                .hasMessageContaining("not an http(s)://host[:port] URL");
    }

    private static UpstreamProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bind("erp.gateway", UpstreamProperties.class).get();
    }
}
