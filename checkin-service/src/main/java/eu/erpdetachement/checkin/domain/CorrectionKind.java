package eu.erpdetachement.checkin.domain;

/** What a manager's correction does to a chain (decision 0026). */
public enum CorrectionKind {
    /** The named event (or supplied one) happened at another time. */
    AMEND_OCCURRED_AT,
    /** A forgotten check-out: closes the named check-in at the given time. */
    SUPPLY_CHECK_OUT,
    /** A forgotten check-in: opens, at the given time, a new interval after the named check-out. */
    SUPPLY_CHECK_IN;

    public String wireName() {
        return name().toLowerCase();
    }

    public static CorrectionKind fromWire(String value) {
        for (CorrectionKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown correction kind " + value);
    }
}
