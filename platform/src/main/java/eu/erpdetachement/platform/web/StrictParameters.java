package eu.erpdetachement.platform.web;

import java.beans.PropertyEditorSupport;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Path and query parameters bound as the contract types them (decision 0017). Spring's default
 * editors read {@code yes}, {@code on} and {@code 1} as true, {@code 0x10} as 16, {@code 1-1-1-1-1} as
 * a UUID and an empty value as "not given"; here a boolean is {@code true} or {@code false}, an integer
 * is decimal, a UUID has its 36 characters, and an empty value is refused. A refusal is a 400.
 * (Converters would not do: the binder falls back to the default editors when a converter fails.)
 */
@ControllerAdvice
public class StrictParameters {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]{1,19}");

    @InitBinder
    public void strictEditors(WebDataBinder binder) {
        binder.registerCustomEditor(Boolean.class, editor(StrictParameters::bool));
        binder.registerCustomEditor(boolean.class, editor(StrictParameters::bool));
        binder.registerCustomEditor(Integer.class, editor(text -> Integer.valueOf(decimal(text))));
        binder.registerCustomEditor(int.class, editor(text -> Integer.valueOf(decimal(text))));
        binder.registerCustomEditor(Long.class, editor(text -> Long.valueOf(decimal(text))));
        binder.registerCustomEditor(UUID.class, editor(StrictParameters::uuid));
    }

    static Boolean bool(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    static String decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a decimal integer");
        }
        return text;
    }

    static UUID uuid(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a UUID");
        }
        return UUID.fromString(text);
    }

    private static PropertyEditorSupport editor(Function<String, Object> parse) {
        return new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                setValue(parse.apply(text));
            }
        };
    }
}
