package eu.erpdetachement.platform.idempotency;

import java.net.URI;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The first answer to an idempotent request, kept so that a retry gets the very same bytes.
 *
 * @param replayed true when this answer comes from the store rather than from doing the work
 */
public record StoredResponse(int status, String location, String body, boolean replayed) {

    public static StoredResponse created(String location, String body) {
        return new StoredResponse(201, location, body, false);
    }

    /** The HTTP answer: the same bytes every time, flagged when it is a replay. */
    public ResponseEntity<String> toResponseEntity() {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (location != null) {
            response.location(URI.create(location));
        }
        if (replayed) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(body);
    }
}
