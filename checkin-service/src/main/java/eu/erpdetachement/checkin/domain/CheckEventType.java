package eu.erpdetachement.checkin.domain;

/** Work on a mission starts with a check-in and ends with a check-out. */
public enum CheckEventType {
    CHECK_IN, CHECK_OUT;

    public String wireName() {
        return name().toLowerCase();
    }

    public static CheckEventType fromWire(String value) {
        for (CheckEventType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown event type " + value);
    }
}
