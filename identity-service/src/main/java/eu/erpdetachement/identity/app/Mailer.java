package eu.erpdetachement.identity.app;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Invitation and password-reset emails, in the user's language. Links are built from the
 * configured public base URL, never from the request's Host header.
 */
@Component
public class Mailer {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    /** Subject and body per language; {link} is replaced. English when a language has no text yet. */
    private static final Map<String, String[]> INVITATION = Map.of(
            "en", new String[] {"Your ERP Détachement account", "You have been invited to ERP Détachement.\n\nChoose your password (the link works once, for 7 days):\n{link}\n"},
            "fr", new String[] {"Votre compte ERP Détachement", "Vous avez été invité(e) sur ERP Détachement.\n\nChoisissez votre mot de passe (lien valable une fois, 7 jours) :\n{link}\n"},
            "de", new String[] {"Ihr ERP-Détachement-Konto", "Sie wurden zu ERP Détachement eingeladen.\n\nWählen Sie Ihr Passwort (der Link gilt einmal, 7 Tage lang):\n{link}\n"},
            "es", new String[] {"Su cuenta de ERP Détachement", "Ha sido invitado a ERP Détachement.\n\nElija su contraseña (el enlace funciona una vez, durante 7 días):\n{link}\n"},
            "pl", new String[] {"Twoje konto ERP Détachement", "Zaproszono Cię do ERP Détachement.\n\nUstaw hasło (link działa jeden raz, przez 7 dni):\n{link}\n"});
    private static final Map<String, String[]> RESET = Map.of(
            "en", new String[] {"Reset your ERP Détachement password", "Someone asked to reset your password.\n\nChoose a new one (the link works once, for 30 minutes):\n{link}\n\nIf it was not you, ignore this email.\n"},
            "fr", new String[] {"Réinitialisation de votre mot de passe ERP Détachement", "Une réinitialisation de votre mot de passe a été demandée.\n\nChoisissez-en un nouveau (lien valable une fois, 30 minutes) :\n{link}\n\nSi ce n'était pas vous, ignorez ce message.\n"},
            "de", new String[] {"Passwort für ERP Détachement zurücksetzen", "Jemand hat das Zurücksetzen Ihres Passworts angefordert.\n\nWählen Sie ein neues (der Link gilt einmal, 30 Minuten lang):\n{link}\n\nWaren Sie es nicht, ignorieren Sie diese E-Mail.\n"},
            "es", new String[] {"Restablecer su contraseña de ERP Détachement", "Alguien ha pedido restablecer su contraseña.\n\nElija una nueva (el enlace funciona una vez, durante 30 minutos):\n{link}\n\nSi no fue usted, ignore este correo.\n"},
            "pl", new String[] {"Resetowanie hasła ERP Détachement", "Ktoś poprosił o zresetowanie Twojego hasła.\n\nUstaw nowe (link działa jeden raz, przez 30 minut):\n{link}\n\nJeśli to nie Ty, zignoruj tę wiadomość.\n"});

    private static final Map<String, String[]> EMAIL_CHANGE = Map.of(
            "en", new String[] {"Confirm your new ERP Détachement address", "Someone asked to use this address for an ERP Détachement account.\n\nConfirm it (the link works once, for 24 hours):\n{link}\n\nIf it was not you, ignore this email: nothing changes.\n"},
            "fr", new String[] {"Confirmez votre nouvelle adresse ERP Détachement", "Cette adresse a été demandée pour un compte ERP Détachement.\n\nConfirmez-la (lien valable une fois, 24 heures) :\n{link}\n\nSi ce n'était pas vous, ignorez ce message : rien ne change.\n"},
            "de", new String[] {"Bestätigen Sie Ihre neue ERP-Détachement-Adresse", "Diese Adresse wurde für ein ERP-Détachement-Konto angegeben.\n\nBestätigen Sie sie (der Link gilt einmal, 24 Stunden lang):\n{link}\n\nWaren Sie es nicht, ignorieren Sie diese E-Mail: nichts ändert sich.\n"},
            "es", new String[] {"Confirme su nueva dirección de ERP Détachement", "Se pidió usar esta dirección para una cuenta de ERP Détachement.\n\nConfírmela (el enlace funciona una vez, durante 24 horas):\n{link}\n\nSi no fue usted, ignore este correo: nada cambia.\n"},
            "pl", new String[] {"Potwierdź nowy adres ERP Détachement", "Ktoś chce użyć tego adresu dla konta ERP Détachement.\n\nPotwierdź go (link działa jeden raz, przez 24 godziny):\n{link}\n\nJeśli to nie Ty, zignoruj tę wiadomość: nic się nie zmieni.\n"});
    private static final Map<String, String[]> EMAIL_CHANGED = Map.of(
            "en", new String[] {"Your ERP Détachement address was changed", "The email address of your ERP Détachement account was changed to {link}.\nThis address no longer signs in.\n\nIf it was not you, contact your administrator at once.\n"},
            "fr", new String[] {"L'adresse de votre compte ERP Détachement a changé", "L'adresse e-mail de votre compte ERP Détachement est désormais {link}.\nCette adresse ne permet plus de se connecter.\n\nSi ce n'était pas vous, contactez tout de suite votre administrateur.\n"},
            "de", new String[] {"Die Adresse Ihres ERP-Détachement-Kontos wurde geändert", "Die E-Mail-Adresse Ihres ERP-Détachement-Kontos lautet jetzt {link}.\nMit dieser Adresse ist keine Anmeldung mehr möglich.\n\nWaren Sie es nicht, wenden Sie sich sofort an Ihre Administration.\n"},
            "es", new String[] {"La dirección de su cuenta de ERP Détachement ha cambiado", "La dirección de correo de su cuenta de ERP Détachement es ahora {link}.\nEsta dirección ya no sirve para iniciar sesión.\n\nSi no fue usted, contacte de inmediato con su administrador.\n"},
            "pl", new String[] {"Adres Twojego konta ERP Détachement został zmieniony", "Adres e-mail Twojego konta ERP Détachement to teraz {link}.\nTen adres nie służy już do logowania.\n\nJeśli to nie Ty, natychmiast skontaktuj się z administratorem.\n"});

    private final JavaMailSender sender;
    private final String publicBaseUrl;
    private final String from;

    public Mailer(JavaMailSender sender, @Value("${erp.mail.public-base-url}") String publicBaseUrl,
            @Value("${erp.mail.from}") String from) {
        this.sender = sender;
        this.publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
        this.from = from;
    }

    public Mono<Void> sendInvitation(String to, String language, String token) {
        return send(to, INVITATION.getOrDefault(language, INVITATION.get("en")), "/set-password?token=" + encode(token));
    }

    public Mono<Void> sendReset(String to, String language, String token) {
        return send(to, RESET.getOrDefault(language, RESET.get("en")), "/reset-password?token=" + encode(token));
    }

    /** Mailed to the new address: the change only happens once this link is used. */
    public Mono<Void> sendEmailChangeConfirmation(String to, String language, String token) {
        return send(to, EMAIL_CHANGE.getOrDefault(language, EMAIL_CHANGE.get("en")), "/confirm-email?token=" + encode(token));
    }

    /** Mailed to the old address once a change is done, so a takeover does not go unnoticed. */
    public Mono<Void> sendEmailChangedNotice(String oldAddress, String language, String newAddress) {
        return sendText(oldAddress, EMAIL_CHANGED.getOrDefault(language, EMAIL_CHANGED.get("en")), newAddress);
    }

    private Mono<Void> send(String to, String[] text, String path) {
        return sendText(to, text, publicBaseUrl + path);
    }

    private Mono<Void> sendText(String to, String[] text, String link) {
        return Mono.fromRunnable(() -> {
            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom(from);
            message.setTo(to);
            message.setSubject(text[0]);
            message.setText(text[1].replace("{link}", link));
            sender.send(message);
        }).subscribeOn(Schedulers.boundedElastic())
                .doOnError(e -> log.warn("Could not send mail: {}", e.toString()))
                .then();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
