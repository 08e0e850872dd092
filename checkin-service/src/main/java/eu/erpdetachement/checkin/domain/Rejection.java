package eu.erpdetachement.checkin.domain;

/**
 * Why an event cannot be recorded. {@code kind} tells the HTTP edge which problem it is;
 * {@code currentState} is what the chain looks like now ("not_checked_in", "checked_in", "checked_out").
 */
public record Rejection(Kind kind, String reason, String currentState) {

    public enum Kind {
        /** The event does not follow the chain (409). */
        OUT_OF_SEQUENCE,
        /** The event's time is outside what the tenant accepts (422). */
        TIME_OUT_OF_RANGE
    }
}
