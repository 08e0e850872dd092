package eu.erpdetachement.platform.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.rbac.RouteAccess;
import reactor.core.publisher.Mono;

/** Lets handlers take the {@link Caller} and its {@link RouteAccess} as parameters. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type == Caller.class || type == RouteAccess.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        if (parameter.getParameterType() == RouteAccess.class) {
            RouteAccess access = exchange.getAttribute(RouteAccess.ATTRIBUTE);
            return access != null ? Mono.just(access)
                    : Mono.error(new IllegalStateException("No rbac.yaml row for " + exchange.getRequest().getPath()));
        }
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> (Object) Caller.of(context.getAuthentication()))
                .switchIfEmpty(Mono.error(() -> new ProblemException(ProblemType.UNAUTHENTICATED,
                        "A bearer access token is required.")));
    }
}
