package eu.erpdetachement.outboxrelay.engine;

import java.util.HashSet;
import java.util.Set;

/**
 * A PostgreSQL snapshot as {@code pg_current_snapshot()} prints it ({@code xmin:xmax:xip,...}), asked
 * whether a transaction had ended for it. {@code xmax} is one past the last transaction that ended: a
 * transaction at or above it, or listed as running, is still in progress — a committed one too, until
 * its backend has made the commit visible (decision 0042).
 */
record Snapshot(long xmin, long xmax, Set<Long> running) {

    private static final long LOW_HALF = 0xFFFF_FFFFL;
    private static final long HALF_RANGE = 0x8000_0000L;

    static Snapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a snapshot: " + text);
        }
        Set<Long> running = new HashSet<>();
        for (String xid : parts[2].split(",")) {
            if (!xid.isEmpty()) {
                running.add(Long.parseLong(xid));
            }
        }
        return new Snapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), running);
    }

    /** Whether the transaction whose 32-bit id pgoutput gave ({@code xid}, unsigned) was in progress. */
    boolean inProgress(long xid) {
        long full = widen(xid);
        return full >= xmax || running.contains(full);
    }

    /**
     * The 64-bit id of a 32-bit one: the one nearest to {@code xmax}, on either side and across an
     * epoch's end. Transactions still to be seen through are within 2³¹ of it (PostgreSQL refuses
     * new ones well before that).
     */
    long widen(long xid) {
        long distance = ((xid - (xmax & LOW_HALF) + HALF_RANGE) & LOW_HALF) - HALF_RANGE;
        return xmax + distance;
    }
}
