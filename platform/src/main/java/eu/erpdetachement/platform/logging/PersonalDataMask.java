package eu.erpdetachement.platform.logging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a log line may not carry, masked (decision 0028): every email address in a text becomes
 * {@code [token]@domain}, and the value of a field named like personal data ({@link #PERSONAL_KEYS})
 * becomes {@code [token]}. The token is the first 12 hex digits of HMAC-SHA256 of the lower-cased value
 * under the deployment's key: the same person gives the same token in every line of every service, so
 * support can find a person's lines by computing it (docs/operations.md), and nobody without the key
 * can test a list of addresses against the logs.
 */
public final class PersonalDataMask {

    /** Used when ERP_LOG_MASK_KEY is not set: tokens still correlate, but anyone can compute them. */
    public static final String DEFAULT_KEY = "erp-detachement-log-mask";

    /** Field names (MDC keys, key-value pairs) whose whole value is personal, in the spellings in use. */
    static final Set<String> PERSONAL_KEYS = Set.of(
            "email", "e-mail", "email_address", "emailAddress", "new_email", "newEmail", "mail",
            "username", "user_name", "userName", "login",
            "first_name", "firstName", "last_name", "lastName", "given_name", "givenName",
            "family_name", "familyName", "full_name", "fullName", "display_name", "displayName",
            "phone", "phone_number", "phoneNumber");

    private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?";
    /**
     * local@domain.tld, also URL-encoded (local%40domain.tld). The domain needs a dot and a top-level
     * label that starts with a letter, so {@code Object@1b2c3d} and {@code 1@127.0.0.1} stay as they are;
     * a masked address ({@code ]@}) does not match again.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "([\\p{L}\\p{N}._%+!#$&*?^`{|}~-]+)(@|%40)((?:" + LABEL + "\\.)+\\p{L}[\\p{L}\\p{N}-]{1,62})");

    private final Mac prototype;

    public PersonalDataMask(String key) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The text with every email address in it masked; the text itself when it has none (one scan, no regex). */
    public String maskEmails(String text) {
        if (text.indexOf('@') < 0 && !text.contains("%40")) {
            return text;
        }
        Matcher m = EMAIL.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        int last = 0;
        do {
            String local = m.group(1);
            String domain = m.group(3).toLowerCase(Locale.ROOT);
            String address = ("%40".equals(m.group(2)) ? local.replace("%2B", "+").replace("%2b", "+") : local)
                    .toLowerCase(Locale.ROOT) + "@" + domain;
            masked.append(text, last, m.start()).append('[').append(token(address)).append(']')
                    .append(m.group(2)).append(domain);
            last = m.end();
        } while (m.find());
        return masked.append(text, last, text.length()).toString();
    }

    /** The value of a field named {@code key}: its token when the name says it is personal, else its emails masked. */
    public String maskField(String key, String value) {
        if (key != null && (PERSONAL_KEYS.contains(key) || key.startsWith("_") && PERSONAL_KEYS.contains(key.substring(1)))) {
            // (GELF writes additional fields as _name)
            return value.isEmpty() ? value : "[" + token(value.strip().toLowerCase(Locale.ROOT)) + "]";
        }
        return maskEmails(value);
    }

    /** The correlation token of a value (an address in lower case): what operators compute to find a person's lines. */
    public String token(String value) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 6);
    }
}
