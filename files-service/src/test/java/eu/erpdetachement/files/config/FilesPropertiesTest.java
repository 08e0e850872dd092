package eu.erpdetachement.files.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class FilesPropertiesTest {

    private static FilesProperties with(Duration connect, Duration read, Duration complete) {
        return new FilesProperties("http://s3", null, "us-east-1", "key", "secret", "erp-files", null, null, null,
                connect, read, complete);
    }

    @Test
    void every_s3_call_is_bounded_by_default_and_complete_outlasts_one() {
        FilesProperties defaults = with(null, null, null);
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.completeTimeout()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void a_complete_that_one_s3_call_could_outlast_is_refused() {
        assertThatThrownBy(() -> with(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("erp.files.complete-timeout");
    }
}
