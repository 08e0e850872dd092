package eu.erpdetachement.identity.domain;

import java.util.Set;

/** The languages a user can choose: the official EU languages, by ISO 639-1 code. */
public final class Languages {

    public static final Set<String> EU = Set.of("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
            "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv");
    public static final String DEFAULT = "fr";

    private Languages() {
    }
}
