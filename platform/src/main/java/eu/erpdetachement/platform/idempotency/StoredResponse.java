package eu.erpdetachement.platform.idempotency;

/**
 * The first answer to an idempotent request, kept so that a retry gets the very same bytes.
 *
 * @param replayed true when this answer comes from the store rather than from doing the work
 */
public record StoredResponse(int status, String location, String body, boolean replayed) {

    public static StoredResponse created(String location, String body) {
        return new StoredResponse(201, location, body, false);
    }
}
