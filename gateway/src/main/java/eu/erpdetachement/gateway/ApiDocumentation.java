package eu.erpdetachement.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** Serves the contract itself (contracts/openapi.yaml) and Swagger UI over it. */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    @Bean
    RouterFunction<ServerResponse> openApiDocument() {
        ClassPathResource document = new ClassPathResource("contracts/openapi.yaml");
        return route()
                .GET("/openapi.yaml", request -> ServerResponse.ok()
                        .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(document))
                .build();
    }
}
