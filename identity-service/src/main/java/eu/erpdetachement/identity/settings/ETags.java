package eu.erpdetachement.identity.settings;

/** Strong ETags made of the settings' version. */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /** If-Match with strong comparison (RFC 9110 13.1.1): {@code *}, or a list holding the current tag. */
    public static boolean matches(String ifMatch, long version) {
        String current = of(version);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(current)) {
                return true;
            }
        }
        return false;
    }
}
