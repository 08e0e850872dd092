package eu.erpdetachement.files.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.PartEvent;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Flux;

/**
 * A streaming multipart/form-data parser (RFC 7578, RFC 2046 section 5.1.1) that finds each
 * boundary by skipping through the bytes (Boyer-Moore-Horspool) instead of testing every byte of a
 * file, as Spring's parser does: its byte-at-a-time matcher was most of the files service's CPU on
 * an upload (docs/performance.md, issue 14). It emits Spring's {@link PartEvent}s, each part's
 * content as slices of the request's own buffers, and the last event of a part only once the
 * boundary after it was read, so that a body cut short fails its part instead of ending it.
 */
final class MultipartParts {

    private static final int CRLF = 0x0d0a;
    private static final int CRLF_CRLF = 0x0d0a0d0a;
    /** RFC 2046: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private final int maxHeaderBytes;
    private final int maxParts;

    MultipartParts(int maxHeaderBytes, int maxParts) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxParts = maxParts;
    }

    /** The boundary of a multipart content type, unquoted; a 400 when it has none or an invalid one. */
    static String boundary(MediaType contentType) {
        String boundary = contentType == null ? null : contentType.getParameter("boundary");
        if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
            boundary = boundary.substring(1, boundary.length() - 1);
        }
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(boundary)) {
            throw malformed("its content type names no valid boundary");
        }
        return boundary;
    }

    /** The parts of a body, as events; the body's buffers are released or handed on in the events. */
    Flux<PartEvent> parse(Flux<DataBuffer> body, String boundary) {
        return Flux.defer(() -> {
            Parser parser = new Parser(boundary.getBytes(StandardCharsets.US_ASCII));
            // one body buffer at a time: the parser holds none, so a slow store slows the client down
            return body.concatMapIterable(parser::feed, 1).concatWith(Flux.defer(parser::end));
        }).doOnDiscard(PartEvent.class, event -> DataBufferUtils.release(event.content()))
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    private static ProblemException malformed(String why) {
        return new ProblemException(ProblemType.MALFORMED_REQUEST, "The multipart body is malformed: " + why + ".");
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, BODY, DONE }

    /** The parser's state between buffers; used by one subscription, one buffer at a time. */
    private final class Parser {
        private final Horspool firstDelimiter;
        private final Horspool delimiter;
        private State state = State.PREAMBLE;
        /** AFTER_DELIMITER: the byte seen before this one ('-', '\r') or 0. */
        private byte afterDelimiterSeen;
        private final ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        /** HEADERS: the last four header bytes, to find the empty line that ends them. */
        private int lastFour;
        private HttpHeaders headers;
        private int parts;
        /** The end of the last buffer, held back as it may begin a delimiter completed by the next one. */
        private byte[] carry = new byte[0];
        /**
         * The readable bytes of the buffer being fed, copied once: the search probes them from an
         * array instead of through the buffer's checked, reference-counted {@code getByte}, which
         * was a tenth of the service's samples in an upload. Content is still emitted as slices of
         * the buffer itself.
         */
        private byte[] copy = new byte[0];
        /** The buffer's read position when it was copied: {@code copy[0]} is the byte there. */
        private int copyStart;

        Parser(byte[] boundary) {
            byte[] dashes = concat("--".getBytes(StandardCharsets.US_ASCII), boundary);
            this.firstDelimiter = new Horspool(dashes);
            this.delimiter = new Horspool(concat("\r\n".getBytes(StandardCharsets.US_ASCII), dashes));
        }

        List<PartEvent> feed(DataBuffer buffer) {
            List<PartEvent> events = new ArrayList<>(2);
            try {
                copyReadable(buffer);
                while (buffer.readableByteCount() > 0 || carry.length > 0 && state != State.BODY && state != State.PREAMBLE) {
                    if (!step(buffer, events)) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                events.forEach(event -> DataBufferUtils.release(event.content()));
                throw e;
            } finally {
                DataBufferUtils.release(buffer);
            }
            return events;
        }

        /** Advances through the buffer; false when the rest of it is consumed or held back. */
        private boolean step(DataBuffer buffer, List<PartEvent> events) {
            switch (state) {
                case PREAMBLE -> {
                    int found = search(firstDelimiter, buffer);
                    if (found < 0) {
                        hold(buffer, firstDelimiter); // the preamble is discarded, bar a possible delimiter start
                        return false;
                    }
                    consume(buffer, found + firstDelimiter.length());
                    state = State.AFTER_DELIMITER;
                    afterDelimiterSeen = 0;
                }
                case AFTER_DELIMITER -> afterDelimiter(next(buffer));
                case HEADERS -> headerByte(next(buffer));
                case BODY -> {
                    int found = search(delimiter, buffer);
                    if (found < 0) {
                        int keep = heldBack(buffer, delimiter);
                        emit(buffer, carry.length + buffer.readableByteCount() - keep, false, events);
                        hold(buffer, keep);
                        return false;
                    }
                    emit(buffer, found, true, events);
                    consume(buffer, delimiter.length());
                    state = State.AFTER_DELIMITER;
                    afterDelimiterSeen = 0;
                }
                case DONE -> {
                    // the epilogue is ignored
                    consume(buffer, carry.length + buffer.readableByteCount());
                    return false;
                }
            }
            return true;
        }

        /** After a delimiter: "--" ends the body, optional blanks then CRLF start a part. */
        private void afterDelimiter(byte b) {
            if (afterDelimiterSeen == '-') {
                if (b != '-') {
                    throw malformed("a boundary is followed by a single '-'");
                }
                state = State.DONE;
            } else if (afterDelimiterSeen == '\r') {
                if (b != '\n') {
                    throw malformed("a boundary line does not end with CRLF");
                }
                if (++parts > maxParts) {
                    throw malformed("it has more than " + maxParts + " parts");
                }
                headerBytes.reset();
                lastFour = 0;
                state = State.HEADERS;
            } else if (b == '-' || b == '\r') {
                afterDelimiterSeen = b;
            } else if (b != ' ' && b != '\t') {
                throw malformed("a boundary is followed by other characters");
            }
        }

        private void headerByte(byte b) {
            headerBytes.write(b);
            lastFour = lastFour << 8 | b & 0xff;
            int n = headerBytes.size();
            if (n > maxHeaderBytes) {
                throw malformed("a part's headers are longer than " + maxHeaderBytes + " bytes");
            }
            // the headers end at an empty line: right away when the part has none
            if (n == 2 && (lastFour & 0xffff) == CRLF || n >= 4 && lastFour == CRLF_CRLF) {
                headers = parseHeaders(headerBytes.toString(StandardCharsets.UTF_8));
                state = State.BODY;
            }
        }

        /** A part's headers; a part must be named by its Content-Disposition (RFC 7578 section 4.2). */
        private static HttpHeaders parseHeaders(String block) {
            HttpHeaders parsed = new HttpHeaders();
            for (String line : block.split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw malformed("a part header has no name");
                }
                parsed.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            try {
                if (parsed.getContentDisposition().getName() == null) {
                    throw malformed("a part has no name in its Content-Disposition");
                }
            } catch (IllegalArgumentException e) {
                throw malformed("a part's Content-Disposition cannot be read");
            }
            return HttpHeaders.readOnlyHttpHeaders(parsed);
        }

        Flux<PartEvent> end() {
            return state == State.DONE ? Flux.empty()
                    : Flux.error(malformed(state == State.PREAMBLE ? "it has no boundary" : "it ends before its closing boundary"));
        }

        // --- the bytes ahead: what is held back from the last buffer, then the buffer --------------

        private int available(DataBuffer buffer) {
            return carry.length + buffer.readableByteCount();
        }

        private void copyReadable(DataBuffer buffer) {
            int readable = buffer.readableByteCount();
            if (copy.length < readable) {
                copy = new byte[readable];
            }
            copyStart = buffer.readPosition();
            buffer.read(copy, 0, readable);
            buffer.readPosition(copyStart);
        }

        private byte at(DataBuffer buffer, int index) {
            return index < carry.length ? carry[index] : copy[buffer.readPosition() - copyStart + index - carry.length];
        }

        private byte next(DataBuffer buffer) {
            byte b = at(buffer, 0);
            consume(buffer, 1);
            return b;
        }

        private void consume(DataBuffer buffer, int count) {
            int fromCarry = Math.min(count, carry.length);
            carry = fromCarry == carry.length ? new byte[0] : Arrays.copyOfRange(carry, fromCarry, carry.length);
            buffer.readPosition(buffer.readPosition() + count - fromCarry);
        }

        private int search(Horspool pattern, DataBuffer buffer) {
            return pattern.indexIn(this, buffer);
        }

        /** How many bytes at the end of what is ahead could begin the pattern. */
        private int heldBack(DataBuffer buffer, Horspool pattern) {
            int available = available(buffer);
            for (int start = Math.max(0, available - pattern.length() + 1); start < available; start++) {
                if (pattern.startsWith(this, buffer, start, available - start)) {
                    return available - start;
                }
            }
            return 0;
        }

        private void hold(DataBuffer buffer, Horspool pattern) {
            int keep = heldBack(buffer, pattern);
            consume(buffer, available(buffer) - keep);
            hold(buffer, keep);
        }

        /** Keeps the last {@code keep} bytes ahead for the next buffer (all that is left of this one). */
        private void hold(DataBuffer buffer, int keep) {
            int available = available(buffer);
            byte[] held = new byte[keep];
            for (int i = 0; i < keep; i++) {
                held[i] = at(buffer, available - keep + i);
            }
            buffer.readPosition(buffer.writePosition());
            carry = held;
        }

        /** Emits the next {@code count} bytes ahead as the current part's content. */
        private void emit(DataBuffer buffer, int count, boolean last, List<PartEvent> events) {
            int fromCarry = Math.min(count, carry.length);
            if (fromCarry > 0) {
                DataBuffer held = DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOf(carry, fromCarry));
                consume(buffer, fromCarry);
                events.add(new Content(headers, held, last && count == fromCarry));
            }
            int fromBuffer = count - fromCarry;
            if (fromBuffer > 0 || last && fromCarry == 0) {
                int end = buffer.readPosition() + fromBuffer;
                events.add(new Content(headers, buffer.split(end), last));
                copyStart -= end; // what is left of the buffer counts its positions from the split
            }
        }
    }

    /** A part's content as it arrives; the headers are those of its part. */
    private record Content(HttpHeaders headers, DataBuffer content, boolean isLast) implements PartEvent {
    }

    /** Boyer-Moore-Horspool over the bytes ahead of a parser: probes about one byte in every pattern length. */
    private static final class Horspool {
        private final byte[] pattern;
        private final int[] shift = new int[256];

        Horspool(byte[] pattern) {
            this.pattern = pattern;
            Arrays.fill(shift, pattern.length);
            for (int i = 0; i < pattern.length - 1; i++) {
                shift[pattern[i] & 0xff] = pattern.length - 1 - i;
            }
        }

        int length() {
            return pattern.length;
        }

        int indexIn(Parser parser, DataBuffer buffer) {
            int available = parser.available(buffer);
            int last = pattern.length - 1;
            for (int at = 0; at + last < available; ) {
                byte end = parser.at(buffer, at + last);
                if (end == pattern[last] && startsWith(parser, buffer, at, last)) {
                    return at;
                }
                at += shift[end & 0xff];
            }
            return -1;
        }

        /** Whether the {@code count} bytes ahead from {@code at} equal the pattern's first {@code count}. */
        boolean startsWith(Parser parser, DataBuffer buffer, int at, int count) {
            for (int i = 0; i < count; i++) {
                if (parser.at(buffer, at + i) != pattern[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
