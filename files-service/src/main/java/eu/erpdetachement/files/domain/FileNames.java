package eu.erpdetachement.files.domain;

import java.text.Normalizer;

/**
 * A download name that is safe to put in a Content-Disposition header and on anyone's disk:
 * no directories, no control or reserved characters, no leading dots. Its length is the contract's
 * {@code maxLength} (1,024 characters): a longer name is refused, never cut (decision 0017).
 */
public final class FileNames {

    /** contracts/openapi.yaml FileUploadRequest.filename maxLength, and the files.filename column. */
    public static final int MAX_LENGTH = 1024;

    private FileNames() {
    }

    /** Longer than the contract allows, in characters (code points, as JSON Schema and PostgreSQL count). */
    public static boolean isTooLong(String filename) {
        return filename != null && filename.codePointCount(0, filename.length()) > MAX_LENGTH;
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
        return cleaned.isEmpty() ? null : cleaned;
    }
}
