package eu.erpdetachement.platform.security;

/**
 * The header rule of Spring Security's strict firewall — every character assigned in Unicode and
 * not a control character (a tab allowed in values) — as a loop over the characters instead of the
 * regular expression the firewall runs on every header read: a sixth of the gateway's CPU went to
 * it, as the gateway reads every header to forward it (docs/performance.md).
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} */
    static boolean allowedInName(String name) {
        return allowed(name, false);
    }

    /** {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*} */
    static boolean allowedInValue(String value) {
        return allowed(value, true);
    }

    /** A header that is absent ({@code null}: the firewall asks of it too) is allowed, as the firewall's own rule allows it. */
    private static boolean allowed(String text, boolean tab) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) { // printable ASCII: all of a usual header
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            boolean ok = (tab && codePoint == '\t')
                    || (Character.getType(codePoint) != Character.UNASSIGNED && !Character.isISOControl(codePoint));
            if (!ok) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
