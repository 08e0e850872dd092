package eu.erpdetachement.checkin.app;

import java.util.Map;
import java.util.Optional;

import eu.erpdetachement.checkin.domain.Rejection;
import eu.erpdetachement.platform.problem.ProblemException;

/** A policy's rejection as the problem the caller gets: 409 with the chain's state, or 422 on {@code occurred_at}. */
final class Rejections {

    private Rejections() {
    }

    /** Throws the rejection's problem, if any; it rolls the unit of work back. */
    static void refuse(Optional<Rejection> rejection) {
        rejection.ifPresent(r -> {
            throw switch (r.kind()) {
                case OUT_OF_SEQUENCE -> ProblemException.conflict(r.reason(), Map.of("current_state", r.currentState()));
                case TIME_OUT_OF_RANGE -> ProblemException.validation("occurred_at", r.reason());
            };
        });
    }
}
