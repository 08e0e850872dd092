package eu.erpdetachement.checkin.domain;

/** Where a check event was captured. Closed set: documented in contracts/openapi.yaml. */
public enum CheckSource {
    MOBILE, WEB, KIOSK, BADGE, MANUAL, API;

    public String wireName() {
        return name().toLowerCase();
    }

    public static CheckSource fromWire(String value) {
        for (CheckSource source : values()) {
            if (source.wireName().equals(value)) {
                return source;
            }
        }
        throw new IllegalArgumentException("Unknown source " + value);
    }
}
