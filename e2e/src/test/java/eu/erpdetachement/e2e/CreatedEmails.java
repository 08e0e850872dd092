package eu.erpdetachement.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every email address the e2e tests send to the system (request URIs and bodies through {@link Api},
 * addresses made by {@link Members#uniqueEmail}), one a line in {@link #FILE}: after the run,
 * {@link NoPersonalDataInLogsIT} looks for each of them in every log of the stack (decision 0028).
 * The seeded tenant admins are configuration, not made by the tests, and are left out.
 */
final class CreatedEmails {

    static final Path FILE = Path.of("target", "e2e-created-emails.txt").toAbsolutePath();

    private static final Set<String> SEEDED = Set.of("admin@acme.test", "admin@globex.test", "admin@initech.test",
            "admin@umbrella.test");
    private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();
    private static boolean started;

    private CreatedEmails() {
    }

    /** Records the addresses in a text the tests send. */
    static void in(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return;
        }
        for (String address : Addresses.in(text)) {
            record(address);
        }
    }

    static String record(String address) {
        String normalized = address.toLowerCase(Locale.ROOT);
        if (!SEEDED.contains(normalized) && RECORDED.add(normalized)) {
            synchronized (CreatedEmails.class) {
                try {
                    if (!started) { // this run's addresses only (the check, in another JVM, just reads the file)
                        Files.createDirectories(FILE.getParent());
                        Files.deleteIfExists(FILE);
                        started = true;
                    }
                    Files.writeString(FILE, normalized + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return address;
    }

    /** The email-shaped words of a text, found from each '@' outwards (no regex: logs are long). */
    static final class Addresses {

        private Addresses() {
        }

        static java.util.List<String> in(String text) {
            java.util.List<String> found = new java.util.ArrayList<>();
            for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
                int start = at;
                while (start > 0 && isLocal(text.charAt(start - 1))) {
                    start--;
                }
                int end = at + 1;
                while (end < text.length() && isDomain(text.charAt(end))) {
                    end++;
                }
                while (end > at + 1 && text.charAt(end - 1) == '.') {
                    end--; // a full stop after the address
                }
                String domain = text.substring(at + 1, end);
                if (start < at && domain.indexOf('.') > 0) {
                    found.add(text.substring(start, end));
                }
            }
            return found;
        }

        private static boolean isLocal(char c) {
            return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
        }

        private static boolean isDomain(char c) {
            return Character.isLetterOrDigit(c) || c == '.' || c == '-';
        }
    }
}
