package eu.erpdetachement.platform.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rejection the API answers with an RFC 9457 problem. Domain rejections are mapped to this at the
 * HTTP edge; it carries the type, a human detail, optional field errors and extension members.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, Object> properties;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<FieldError> errors, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
        this.properties = new LinkedHashMap<>(properties);
    }

    public static ProblemException validation(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "The request is not valid.",
                List.of(new FieldError(field, message)), Map.of());
    }

    public static ProblemException validation(List<FieldError> errors) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "The request is not valid.", errors, Map.of());
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found.");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException conflict(String detail, Map<String, Object> properties) {
        return new ProblemException(ProblemType.CONFLICT, detail, List.of(), properties);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
