package eu.erpdetachement.checkin.api;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEvent;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.personaldata.PersonalDataRoutes;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/** This service's part of a personal-data export (platform PersonalDataRoutes): the person's check events. */
@RestController
public class PersonalDataController {

    public record CheckinPersonalData(List<WorkerCheckEvent> checkEvents) {
    }

    private final CheckEventStore store;
    private final RbacMatrix matrix;
    private final BlockingDataAccess data;

    public PersonalDataController(CheckEventStore store, RbacMatrix matrix, BlockingDataAccess data) {
        this.data = data;
        this.store = store;
        this.matrix = matrix;
    }

    @GetMapping(PersonalDataRoutes.INTERNAL_PATH)
    public Mono<CheckinPersonalData> export(@PathVariable("user_id") UUID userId,
            @RequestParam(name = "worker_id", required = false) UUID workerId, Caller caller) {
        PersonalDataRoutes.requireAccess(matrix, caller, userId, workerId);
        return data.call(() -> new CheckinPersonalData(
                store.ofPerson(caller.tenantId(), userId, workerId).stream().map(WorkerCheckEvent::of).toList()));
    }
}
