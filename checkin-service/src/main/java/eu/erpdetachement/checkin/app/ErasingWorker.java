package eu.erpdetachement.checkin.app;

import org.springframework.stereotype.Service;

import eu.erpdetachement.platform.erasure.ErasedUsers;
import eu.erpdetachement.platform.erasure.ErasingUser;
import eu.erpdetachement.platform.erasure.UserErased;
import reactor.core.publisher.Mono;

/**
 * This service's part of an erasure. What it holds about a person is ids (worker id, recorded by,
 * caller state) and check events: the ids stay as pseudonyms (so every chain still verifies), the
 * caller state becomes inactive from the event itself (platform UserEventsProjection), the events
 * stay until their retention ends ({@code RetainedCheckEvents}); the person's idempotency answers
 * are forgotten.
 */
@Service
public class ErasingWorker implements ErasingUser {

    private final ErasedUsers erased;

    public ErasingWorker(ErasedUsers erased) {
        this.erased = erased;
    }

    @Override
    public Mono<Void> erase(UserErased event) {
        return erased.remember(event);
    }
}
