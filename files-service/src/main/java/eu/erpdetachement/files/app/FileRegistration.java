package eu.erpdetachement.files.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import eu.erpdetachement.files.domain.TenantFileRules;
import eu.erpdetachement.files.domain.FileNames;
import eu.erpdetachement.files.domain.ObjectKeys;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;

/**
 * Checks what a client declares about a file against the tenant's rules, and says where it will
 * be stored. Every violation is reported at once, as a 422.
 */
public final class FileRegistration {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final List<String> PROVIDERS = List.of("s3", "minio");

    /** What was declared, checked: ready to be stored. */
    public record Checked(String bucket, String objectKey, String filename, String mimeType, Long sizeBytes,
            String sha256Hash) {
    }

    private FileRegistration() {
    }

    /**
     * @param hashAndSizeRequired false for a direct upload, where the service measures them itself
     */
    public static Checked check(UUID tenantId, TenantFileRules limits, String storageProvider,
            String bucket, String path, String filename, String mimeType, Long sizeBytes, String sha256Hash,
            boolean hashAndSizeRequired) {
        List<FieldError> errors = new ArrayList<>();
        if (storageProvider == null || !PROVIDERS.contains(storageProvider)) {
            errors.add(new FieldError("storage_provider", "must be s3 (minio is accepted as an alias)"));
        }
        if (bucket == null || !bucket.equals(limits.bucket())) {
            errors.add(new FieldError("bucket", "must be the tenant's bucket"));
        }
        ObjectKeys.Result key = ObjectKeys.forTenant(tenantId, path);
        if (!key.isAccepted()) {
            errors.add(new FieldError("path", key.refusal()));
        }
        String safeName = FileNames.sanitize(filename);
        if (FileNames.isTooLong(filename) || FileNames.isTooLong(safeName)) {
            errors.add(new FieldError("filename", "must be at most " + FileNames.MAX_LENGTH + " characters"));
        } else if (safeName == null) {
            errors.add(new FieldError("filename", "must name the file"));
        }
        String mime = mimeType == null ? null : mimeType.toLowerCase(Locale.ROOT).strip();
        if (!limits.allows(mime)) {
            errors.add(new FieldError("mime_type", "is not allowed for this tenant"));
        }
        if (sizeBytes == null ? hashAndSizeRequired : !limits.fits(sizeBytes)) {
            errors.add(new FieldError("size_bytes", sizeBytes == null ? "is required"
                    : "must be between 0 and " + limits.maxSizeBytes() + " bytes"));
        }
        if (sha256Hash == null ? hashAndSizeRequired : !SHA256.matcher(sha256Hash).matches()) {
            errors.add(new FieldError("sha256_hash", "must be 64 lowercase hexadecimal characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Checked(bucket, key.key(), safeName, mime, sizeBytes, sha256Hash);
    }
}
