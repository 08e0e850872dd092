package eu.erpdetachement.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * Spring and Spring Security log through commons-logging with lazy messages ({@code LogMessage}) that
 * are meant to be rendered only when the level is on. commons-logging's own SLF4J adapter renders
 * them always; the platform routes commons-logging through the Log4j API, which checks first.
 */
class DisabledLogMessagesTest {

    private static final String LOGGER = "eu.erpdetachement.platform.logging.DisabledLogMessagesTest.probe";

    @Test
    void a_debug_message_is_not_rendered_while_debug_is_off() {
        Logger logback = (Logger) LoggerFactory.getLogger(LOGGER);
        logback.setLevel(Level.INFO);
        AtomicInteger rendered = new AtomicInteger();
        Object message = new Object() {
            @Override
            public String toString() {
                rendered.incrementAndGet();
                return "rendered";
            }
        };
        Log log = LogFactory.getLog(LOGGER);

        log.debug(message);
        log.trace(message);
        assertThat(rendered).hasValue(0);

        logback.setLevel(Level.DEBUG);
        log.debug(message);
        assertThat(rendered).hasValue(1);
    }
}
