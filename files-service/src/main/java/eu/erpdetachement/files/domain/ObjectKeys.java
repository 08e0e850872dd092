package eu.erpdetachement.files.domain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where a tenant's objects live: every key is {@code tenants/{tenant_id}/<relative path>}. A path
 * that could leave that prefix (absolute, {@code ..}, backslashes, control characters, encoded
 * tricks) is refused rather than repaired.
 */
public final class ObjectKeys {

    public static final int MAX_PATH_LENGTH = 512;
    private static final String ERASED_SEGMENT = "erased";

    private ObjectKeys() {
    }

    public static String tenantPrefix(UUID tenantId) {
        return "tenants/" + tenantId + "/";
    }

    /**
     * Where a presigned PUT writes a file's bytes until they are verified: outside {@code tenants/},
     * so no registered path is ever writable through an upload URL. Completing copies the bytes from
     * here to the file's key, verifies the copy, and deletes this one.
     */
    public static String uploadKey(UUID tenantId, UUID fileId) {
        return "uploads/" + tenantId + "/" + fileId;
    }

    /**
     * Where a file about an erased person is kept (its caller-given path may have named them): a
     * prefix no caller can register ({@link #forTenant} refuses it).
     */
    public static String erasedKey(UUID tenantId, UUID fileId) {
        return tenantPrefix(tenantId) + ERASED_SEGMENT + "/" + fileId;
    }

    /** The object key for a caller-given relative path, or an explanation of why it is refused. */
    public static Result forTenant(UUID tenantId, String path) {
        if (path == null || path.isBlank()) {
            return Result.refused("must not be empty");
        }
        String normalized = Normalizer.normalize(path, Normalizer.Form.NFC);
        if (normalized.length() > MAX_PATH_LENGTH) {
            return Result.refused("must be at most " + MAX_PATH_LENGTH + " characters");
        }
        if (normalized.startsWith("/") || normalized.contains("\\")) {
            return Result.refused("must be relative, with forward slashes only");
        }
        if (normalized.contains("%")) {
            return Result.refused("must not contain percent-encoding");
        }
        for (char c : normalized.toCharArray()) {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return Result.refused("must not contain control characters");
            }
        }
        List<String> segments = new ArrayList<>();
        for (String segment : normalized.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue; // "a//b" and "./a" mean "a/b" and "a"
            }
            if (segment.equals("..")) {
                return Result.refused("must not contain '..'");
            }
            if (segment.isBlank() || segment.endsWith(".") && segment.chars().allMatch(ch -> ch == '.')) {
                return Result.refused("has an invalid segment");
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            return Result.refused("must name an object");
        }
        if (segments.get(0).equals(ERASED_SEGMENT)) {
            return Result.refused("must not start with '" + ERASED_SEGMENT + "/' (reserved for erased people's files)");
        }
        return Result.accepted(tenantPrefix(tenantId) + String.join("/", segments));
    }

    public record Result(String key, String refusal) {

        static Result accepted(String key) {
            return new Result(key, null);
        }

        static Result refused(String why) {
            return new Result(null, why);
        }

        public boolean isAccepted() {
            return key != null;
        }
    }
}
