package eu.erpdetachement.platform.erasure;

import reactor.core.publisher.Mono;

/**
 * A service's part of an erasure (docs/data-protection.md): pseudonymises or deletes what it holds
 * about the erased person. Delivered at least once, so it must be idempotent. A service that
 * declares a bean of this type gets a consumer of UserErased ({@link UserErasedConsumer}).
 */
public interface ErasingUser {

    Mono<Void> erase(UserErased erased);
}
