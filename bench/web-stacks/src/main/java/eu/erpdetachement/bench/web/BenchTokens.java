package eu.erpdetachement.bench.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The app's own signing key, in place of Keycloak's: an RS256 token like Keycloak's (its issuer a URL:
 * Spring Security converts it to one, and a name that is not costs an exception per request), valid for an hour, is written to {@code bench.web.token-file} once the app serves (the bench waits for the file).
 */
@Component
class BenchTokens implements ApplicationRunner {

    private final KeyPair keys;
    private final Path tokenFile;

    BenchTokens(@Value("${bench.web.token-file}") Path tokenFile) throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
        this.tokenFile = tokenFile;
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        Path written = Files.writeString(tokenFile.resolveSibling(tokenFile.getFileName() + ".tmp"), token());
        Files.move(written, tokenFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String token() throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost/realms/bench").subject(java.util.UUID.randomUUID().toString())
                .audience("erp-api").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("tenant_id", CheckInSql.TENANT).claim("role", "tenant_admin").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }
}
