package eu.erpdetachement.files.domain;

import java.text.Normalizer;

/**
 * A download name that is safe to put in a Content-Disposition header and on anyone's disk:
 * no directories, no control or reserved characters, no leading dots, bounded length.
 */
public final class FileNames {

    public static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /** The sanitised name, or null when nothing usable is left. */
    public static String sanitize(String filename) {
        if (filename == null) {
            return null;
        }
        String name = Normalizer.normalize(filename, Normalizer.Form.NFC);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c) || "<>:\"|?*;".indexOf(c) >= 0) {
                out.append('_');
            } else {
                out.append(c);
            }
        }
        String cleaned = out.toString().strip().replaceAll("^\\.+", "");
        if (cleaned.length() > MAX_LENGTH) {
            int dot = cleaned.lastIndexOf('.');
            String extension = dot > 0 && cleaned.length() - dot <= 10 ? cleaned.substring(dot) : "";
            cleaned = cleaned.substring(0, MAX_LENGTH - extension.length()) + extension;
        }
        return cleaned.isEmpty() ? null : cleaned;
    }
}
