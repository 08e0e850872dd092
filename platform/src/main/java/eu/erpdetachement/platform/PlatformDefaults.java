package eu.erpdetachement.platform;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The platform's defaults (erp-platform.yml) as the lowest-priority property source: a service's
 * own application.yml, its environment and its command line all override them. (An import through
 * spring.config.import would do the opposite: imported values win over the importing file.)
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "erp-platform.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new YamlPropertySourceLoader().load("erp-platform-defaults", new ClassPathResource(RESOURCE))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        String format = environment.getProperty("logging.structured.format.console");
        if (format == null || format.isBlank()) {
            // the plain-text pattern would bypass PersonalDataLogMasking (decision 0028)
            throw new IllegalStateException("ERP_LOG_FORMAT (logging.structured.format.console) is empty: the services "
                    + "log only in a structured format (ecs, logstash or gelf), whose lines are masked of personal data");
        }
    }
}
