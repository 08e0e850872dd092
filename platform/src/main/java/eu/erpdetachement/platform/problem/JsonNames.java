package eu.erpdetachement.platform.problem;

/** Field names as the contract spells them (snake_case), from Java property names. */
public final class JsonNames {

    private JsonNames() {
    }

    public static String snakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (char c : javaName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
