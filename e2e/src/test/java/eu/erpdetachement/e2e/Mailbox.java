package eu.erpdetachement.e2e;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** What the embedded SMTP server (GreenMail) received, read through its REST API as a test reads an inbox. */
final class Mailbox {

    record Mail(String subject, String body) {

        /** The token of the first link to {@code path} ({@code /set-password}, {@code /reset-password}) in the body. */
        String token(String path) {
            Matcher m = Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]+)").matcher(body);
            if (!m.find()) {
                throw new AssertionError("No " + path + " link in: " + body);
            }
            return m.group(1);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Mailbox() {
    }

    /** Waits until {@code email} has received at least {@code count} mails; answers them, oldest first. */
    static List<Mail> await(String email, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Mail> mails = read(email);
            if (mails.size() >= count) {
                return mails;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(email + " received " + mails.size() + " of " + count + " mails within " + timeout);
            }
            try {
                Thread.sleep(200); // polling the inbox
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static List<Mail> read(String email) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(EmbeddedStack.stack().mailApiUrl()
                    + "/api/user/" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "/messages/INBOX")).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<Mail> mails = new ArrayList<>();
            if (response.statusCode() != 200) {
                return mails; // GreenMail creates the mailbox with the first mail
            }
            for (JsonNode message : Api.JSON.readTree(response.body())) {
                mails.add(new Mail(message.path("subject").asString(), body(message.get("mimeMessage").asString())));
            }
            return mails;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the inbox of " + email, e);
        }
    }

    /** The decoded text of a single-part message (quoted-printable or plain). */
    private static String body(String mime) {
        int split = mime.indexOf("\r\n\r\n");
        String headers = split < 0 ? "" : mime.substring(0, split);
        String body = split < 0 ? mime : mime.substring(split + 4);
        if (!headers.toLowerCase().contains("content-transfer-encoding: quoted-printable")) {
            return body;
        }
        String joined = body.replace("=\r\n", "").replace("=\n", "");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=' && i + 2 < joined.length()) {
                bytes.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
