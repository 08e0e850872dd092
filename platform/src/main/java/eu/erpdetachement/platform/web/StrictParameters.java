package eu.erpdetachement.platform.web;

import java.util.UUID;

import org.springframework.format.FormatterRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Path and query parameters bound as the contract types them (decision 0017). Spring's defaults read
 * {@code yes}, {@code on} and {@code 1} as true and an empty value as "not given"; here a boolean is
 * {@code true} or {@code false}, and an empty value for a typed parameter is a 400, not a silently
 * dropped filter.
 */
public class StrictParameters implements WebFluxConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Boolean.class, StrictParameters::bool);
        registry.addConverter(String.class, Integer.class, value -> Integer.valueOf(nonEmpty(value)));
        registry.addConverter(String.class, Long.class, value -> Long.valueOf(nonEmpty(value)));
        registry.addConverter(String.class, UUID.class, value -> UUID.fromString(nonEmpty(value)));
    }

    static Boolean bool(String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static String nonEmpty(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value;
    }
}
