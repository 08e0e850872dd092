package eu.erpdetachement.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The masking as the services run it: Spring Boot's structured log encoder, with the customizer it
 * finds in platform's META-INF/spring.factories.
 */
class PersonalDataLogMaskingTest {

    private static final String EMAIL = "jane.doe@acme.test";

    private final PersonalDataMask mask = new PersonalDataMask("k1");

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash", "gelf"})
    void no_line_of_any_format_holds_the_address_of_the_message_the_exception_its_causes_or_the_mdc(String format) {
        LoggingEvent event = event("Invitation to " + EMAIL + " not sent",
                new IllegalStateException("Could not send to " + EMAIL,
                        new RuntimeException("550 <" + EMAIL + ">: Recipient address rejected")),
                Map.of("request_id", "r-1", "recipient", EMAIL, "first_name", "Jane"));
        event.addKeyValuePair(new KeyValuePair("last_name", "Doe"));
        event.addKeyValuePair(new KeyValuePair("to", EMAIL));

        String line = encode(format, event);

        assertThat(line).doesNotContain(EMAIL, "Jane", "Doe")
                .contains(mask.maskEmails(EMAIL), "r-1", "Recipient address rejected", "Invitation to");
        assertThat(line.split(java.util.regex.Pattern.quote(mask.maskEmails(EMAIL)), -1)).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void the_ecs_line_keeps_its_shape_and_masks_each_field() {
        LoggingEvent event = event("sent to " + EMAIL, new IllegalArgumentException("bad " + EMAIL),
                Map.of("email", EMAIL, "trace_id", "abc"));

        JsonNode line = JsonMapper.builder().build().readTree(encode("ecs", event));

        assertThat(line.get("message").asString()).isEqualTo("sent to " + mask.maskEmails(EMAIL));
        assertThat(line.get("error").get("message").asString()).isEqualTo("bad " + mask.maskEmails(EMAIL));
        assertThat(line.get("error").get("stack_trace").asString()).doesNotContain(EMAIL).contains(mask.maskEmails(EMAIL));
        assertThat(line.get("email").asString()).isEqualTo("[" + mask.token(EMAIL) + "]");
        assertThat(line.get("trace_id").asString()).isEqualTo("abc");
        assertThat(line.get("log").get("logger").asString()).isEqualTo("test.logger");
    }

    @Test
    void a_line_without_personal_data_is_written_unchanged() {
        String line = encode("ecs", event("Expired 3 pending uploads", null));
        assertThat(line).contains("\"message\":\"Expired 3 pending uploads\"");
    }

    @Test
    void without_a_key_the_built_in_one_is_used() {
        PersonalDataLogMasking masking = new PersonalDataLogMasking((Environment) new MockEnvironment());
        assertThat(masking).isNotNull();
        String line = encode("ecs", event("to " + EMAIL, null), new MockEnvironment());
        assertThat(line).contains(new PersonalDataMask(PersonalDataMask.DEFAULT_KEY).maskEmails(EMAIL));
    }

    private String encode(String format, LoggingEvent event) {
        return encode(format, event, new MockEnvironment().withProperty(PersonalDataLogMasking.KEY_PROPERTY, "k1"));
    }

    private static String encode(String format, LoggingEvent event, MockEnvironment environment) {
        environment.setProperty("spring.application.name", "test-service");
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), environment);
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        try {
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            encoder.stop();
        }
    }

    private static LoggingEvent event(String message, Throwable thrown) {
        return event(message, thrown, Map.of());
    }

    private static LoggingEvent event(String message, Throwable thrown, Map<String, String> mdc) {
        Logger logger = new LoggerContext().getLogger("test.logger");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, thrown, null);
        event.setMDCPropertyMap(mdc);
        return event;
    }
}
