package eu.erpdetachement.devstack;

import java.util.List;
import java.util.Map;

/** GreenMail: a real SMTP server and a REST API to read what it received. */
final class MailServer {

    private MailServer() {
    }

    static ChildProcess prepare(DevstackConfig config) {
        Readiness.requireFree(config.smtpPort(), "ERP_SMTP_PORT");
        Readiness.requireFree(config.mailApiPort(), "ERP_MAIL_API_PORT");
        return new ChildProcess("greenmail", List.of(Devstack.javaExecutable(), "-Xmx128m",
                "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + config.smtpPort(),
                "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + config.mailApiPort(),
                "-Dgreenmail.auth.disabled",
                "-cp", Devstack.classpath(), "com.icegreen.greenmail.standalone.GreenMailStandaloneRunner"),
                Map.of(), config.dataRoot(), config.logs().resolve("greenmail.log"));
    }

    static String readinessUrl(DevstackConfig config) {
        return "http://127.0.0.1:" + config.mailApiPort() + "/api/service/readiness";
    }
}
