package eu.erpdetachement.platform.jdbc;

import eu.erpdetachement.platform.tracing.Traceparents;
import eu.erpdetachement.platform.web.ClientAddressWebFilter;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import reactor.util.context.ContextView;

/**
 * What a unit of work run off the request's Reactor chain needs of its request: the ids its audit
 * records and outbox rows carry. Taken from the Reactor context where the request's filters put them.
 *
 * @param requestId     the request's id, or null (no request: a sweep, a consumer)
 * @param clientAddress the client's address, or null
 * @param traceparent   the W3C trace context of the request's span, or null
 */
public record RequestScope(String requestId, String clientAddress, String traceparent) {

    /** Work that no request started. */
    public static final RequestScope NONE = new RequestScope(null, null, null);

    public static RequestScope of(ContextView context, Traceparents traceparents) {
        return new RequestScope(context.<String>getOrEmpty(RequestIdWebFilter.CONTEXT_KEY).orElse(null),
                context.<String>getOrEmpty(ClientAddressWebFilter.CONTEXT_KEY).orElse(null), traceparents.of(context));
    }
}
