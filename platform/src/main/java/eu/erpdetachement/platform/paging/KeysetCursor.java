package eu.erpdetachement.platform.paging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import eu.erpdetachement.platform.problem.ProblemException;

/**
 * An opaque paging cursor: the sort key of the last item of a page, base64url-encoded. Clients
 * pass it back as is; anything that is not exactly what {@link #encode} gives for the expected number
 * of parts is a 422.
 */
public final class KeysetCursor {

    private static final String SEPARATOR = "\u001f";

    private KeysetCursor() {
    }

    public static String encode(String... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> decode(String cursor, int expectedParts) {
        try {
            if (cursor.length() > 512) {
                throw new IllegalArgumentException("too long");
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
            List<String> parts = List.of(text.split(SEPARATOR, -1));
            if (parts.size() != expectedParts || parts.stream().anyMatch(p -> p.isEmpty() || p.indexOf('\u0000') >= 0)
                    || !encode(parts.toArray(String[]::new)).equals(cursor)) {
                // only what encode() gives back: no empty or NUL part (PostgreSQL cannot compare it), no other spelling
                throw new IllegalArgumentException("wrong shape");
            }
            return parts;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw ProblemException.validation("cursor", "is not a cursor this API returned");
        }
    }
}
