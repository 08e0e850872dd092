package eu.erpdetachement.identity.domain;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for email addresses (decision 0017), used for invitations, email changes, sign-in and
 * password resets: {@code local@domain.tld} where the local part is an ASCII dot-atom of at most 64
 * characters and the domain is a host name of at least two labels, given in ASCII or as an
 * internationalised name (stored in its ASCII {@code xn--} form, lower case). Look-alikes are refused,
 * not folded: a full-width {@code ａdmin@acme.test} is not {@code admin@acme.test}.
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254; // RFC 5321: a path of 256 octets, less the angle brackets

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    private EmailAddress() {
    }

    /** The address as stored (domain in ASCII, lower case), or empty when it is not one. */
    public static Optional<String> normalize(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String value = input.strip();
        int at = value.indexOf('@');
        if (at < 1 || at != value.lastIndexOf('@') || at == value.length() - 1) {
            return Optional.empty();
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return Optional.empty();
        }
        if (!domain.equals(Normalizer.normalize(domain, Normalizer.Form.NFKC)) || domain.endsWith(".")) {
            return Optional.empty(); // compatibility characters (full-width, ligatures) would fold into another name
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || ascii.length() > 253) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        if (!TLD.matcher(labels[labels.length - 1]).matches()) {
            return Optional.empty();
        }
        String address = local + "@" + ascii;
        return address.length() <= MAX_LENGTH ? Optional.of(address) : Optional.empty();
    }

    public static boolean isValid(String input) {
        return normalize(input).isPresent();
    }
}
