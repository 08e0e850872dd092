package eu.erpdetachement.bench.web;

import java.util.Arrays;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * One check-in-like route served by either web stack, for the bench's section 9: {@code reactive}
 * is the services' stack (WebFlux on Reactor Netty, R2DBC), {@code servlet} is Spring MVC on
 * Tomcat with virtual threads and JDBC. Everything else is the same: Spring Security's JWT resource
 * server, Jackson, bean validation, the request timer and tracing the services have. Arguments after
 * the stack are Spring Boot's ({@code --server.port=...}, {@code --bench.web.*}).
 */
@SpringBootApplication
public class WebStackApp {

    /** As the services (platform, decision 0045): no observing decorators around Spring Security. */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].matches("reactive|servlet")) {
            throw new IllegalArgumentException("Usage: WebStackApp reactive|servlet [--property=value ...]");
        }
        WebApplicationType type = args[0].equals("reactive") ? WebApplicationType.REACTIVE : WebApplicationType.SERVLET;
        new SpringApplicationBuilder(WebStackApp.class).web(type).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
