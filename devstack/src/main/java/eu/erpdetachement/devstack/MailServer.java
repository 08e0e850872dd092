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
                "-cp", standaloneJar(), "com.icegreen.greenmail.standalone.GreenMailStandaloneRunner"),
                Map.of(), config.dataRoot(), config.logs().resolve("greenmail.log"));
    }

    /** GreenMail's standalone jar is shaded: alone on its classpath, nothing of ours can clash with it. */
    private static String standaloneJar() {
        return java.util.Arrays.stream(Devstack.classpath().split(java.io.File.pathSeparator))
                .filter(entry -> entry.contains("greenmail-standalone"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("greenmail-standalone is not on the classpath"));
    }

    static String readinessUrl(DevstackConfig config) {
        return "http://127.0.0.1:" + config.mailApiPort() + "/api/service/readiness";
    }
}
