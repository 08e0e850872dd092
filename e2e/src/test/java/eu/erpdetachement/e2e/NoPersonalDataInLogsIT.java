package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.devstack.DevstackConfig;

/**
 * No log of the run's stack holds an email address the e2e tests created (issue 15, decision 0028).
 * Runs alone after every other e2e test (its own failsafe execution in e2e/pom.xml), when the test
 * stack has stopped and its logs are complete; against {@code -De2e.stack=running} it reads the logs of
 * that stack. It starts nothing. The SMTP and S3 stand-ins (GreenMail, S3Proxy) play external
 * systems — a mail provider sees the recipients by its nature — and their logs are not read.
 */
class NoPersonalDataInLogsIT {

    static final Set<String> EXTERNAL_STAND_INS = Set.of("greenmail.log", "s3proxy.log");

    @Test
    void no_log_line_of_the_stack_holds_an_email_address_the_tests_created() throws IOException {
        assumeTrue(Files.exists(CreatedEmails.FILE), "no e2e test of this run sent an email address");
        Set<String> created = new HashSet<>(Files.readAllLines(CreatedEmails.FILE, StandardCharsets.UTF_8));
        Path logs = logs();
        List<Path> files;
        try (Stream<Path> all = Files.list(logs)) {
            files = all.filter(Files::isRegularFile)
                    .filter(p -> !EXTERNAL_STAND_INS.contains(p.getFileName().toString())).sorted().toList();
        }
        assertThat(files).as("logs of the stack in " + logs).isNotEmpty();

        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                // ISO-8859-1 reads any bytes; the addresses the tests make are ASCII
                int number = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    number++;
                    String text = line.contains("%40") ? line.replace("%40", "@") : line;
                    for (String address : CreatedEmails.Addresses.in(text)) {
                        if (created.contains(address.toLowerCase(Locale.ROOT)) && findings.size() < 50) {
                            findings.add(file.getFileName() + ":" + number + ": " + address);
                        }
                    }
                }
            }
        }
        System.out.println("Looked for " + created.size() + " email addresses in " + files.size() + " logs of " + logs);
        assertThat(findings).as("log lines holding an email address the tests created (file:line: address)").isEmpty();
    }

    private static Path logs() {
        if ("running".equals(System.getProperty("e2e.stack"))) {
            return DevstackConfig.fromEnvironment(true).logs();
        }
        return DevstackConfig.forTests(Path.of("target", "e2e-stack").toAbsolutePath(), EmbeddedStack.PORT_OFFSET).logs();
    }
}
