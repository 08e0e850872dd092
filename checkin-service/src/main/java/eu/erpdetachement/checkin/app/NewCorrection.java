package eu.erpdetachement.checkin.app;

import java.time.Instant;

import eu.erpdetachement.checkin.domain.CorrectionKind;

/** A correction as the manager states it, already parsed and checked for shape. */
public record NewCorrection(CorrectionKind kind, Instant occurredAt, String reason) {
}
