package eu.erpdetachement.platform.erasure;

import java.io.IOException;
import java.io.InputStream;

import tools.jackson.databind.json.JsonMapper;

/**
 * The tenant setting {@code records_retention_months}: how long the records labour law requires of
 * an erased person are kept, pseudonymised (docs/data-protection.md). Its default is the one
 * contracts/tenant-settings.schema.json declares.
 */
public final class RecordsRetention {

    public static final String SETTING = "records_retention_months";
    private static final String SCHEMA = "contracts/tenant-settings.schema.json";

    private RecordsRetention() {
    }

    public static int defaultMonths() {
        try (InputStream in = RecordsRetention.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not on the classpath");
            }
            return JsonMapper.builder().build().readTree(in).get("properties").get(SETTING).get("default").asInt();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + SCHEMA, e);
        }
    }
}
