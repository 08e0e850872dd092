package eu.erpdetachement.platform.security;

import java.util.List;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** An accepted bearer token together with the {@link Caller} it stands for now. */
public class CallerAuthentication extends JwtAuthenticationToken {

    private final transient Caller caller;

    public CallerAuthentication(Jwt jwt, Caller caller) {
        super(jwt, List.of(), caller.userId().toString());
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
    }
}
