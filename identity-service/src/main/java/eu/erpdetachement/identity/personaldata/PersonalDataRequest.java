package eu.erpdetachement.identity.personaldata;

import java.time.Instant;

import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.security.Caller;

/**
 * Whose data, asked by whom: the person's profile (found in the caller's tenant), the caller, and
 * the caller's bearer token (sent on to the services that hold the other parts, which judge it
 * themselves).
 *
 * @param erasedAt when the person was erased, null when they were not
 */
public record PersonalDataRequest(UserProfile subject, Instant erasedAt, Caller caller, String authorization) {
}
