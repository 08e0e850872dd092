package eu.erpdetachement.files.domain;

/** A file is registered pending its upload, uploaded once its bytes are verified, or expired. */
public enum FileStatus {
    PENDING_UPLOAD, UPLOADED, EXPIRED;

    public String wireName() {
        return name().toLowerCase();
    }

    public static FileStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
