package eu.erpdetachement.files.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Flux;

/**
 * The upload route's multipart parser, held to Spring's own parser on generated bodies cut into
 * buffers at random places, and to what it must refuse; every buffer it is given is released.
 */
class MultipartPartsTest {

    private static final MultipartParts PARSER = new MultipartParts(8 * 1024, 16);
    private static final NettyDataBufferFactory NETTY = new NettyDataBufferFactory(new UnpooledByteBufAllocator(false));

    record Part(String name, String contentType, byte[] content) {
    }

    /** What a part looks like once parsed: its name, content type and whole content. */
    record Parsed(String name, String contentType, String content) {
        @Override
        public String toString() {
            return name + " (" + contentType + ", " + content.length() + " bytes, hash " + content.hashCode() + ")";
        }
    }

    @Test
    void generated_bodies_in_random_buffers_parse_as_springs_parser_parses_them() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 400; round++) {
            String boundary = boundary(random);
            List<Part> parts = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                parts.add(new Part("part-" + i, random.nextBoolean() ? "application/octet-stream" : null,
                        content(random, boundary, random.nextInt(4) == 0 ? 0 : random.nextInt(5000))));
            }
            byte[] body = body(boundary, parts, random.nextBoolean() ? "a preamble\r\n" : "", random.nextBoolean() ? "\r\nan epilogue" : "");
            int maxBuffer = switch (random.nextInt(3)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(80);
                default -> 1 + random.nextInt(body.length);
            };

            List<ByteBuf> given = new ArrayList<>();
            List<Parsed> ours = parsed(PARSER.parse(chunks(body, maxBuffer, random, given), boundary).collectList().block());
            List<Parsed> springs = parsed(spring(body, boundary));

            assertThat(ours).as("round %d, boundary %s, buffers of at most %d bytes", round, boundary, maxBuffer)
                    .isEqualTo(springs);
            assertThat(ours).extracting(Parsed::name).containsExactlyElementsOf(parts.stream().map(Part::name).toList());
            assertThat(given).allSatisfy(buffer -> assertThat(buffer.refCnt()).as("a buffer given to the parser").isZero());
        }
    }

    @Test
    void a_body_cut_anywhere_before_its_closing_boundary_fails_and_never_ends_the_part_it_cuts() {
        String boundary = "cut-here";
        byte[] body = body(boundary, List.of(new Part("metadata", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new Part("file", "application/octet-stream", "\r\n--cut-her\r\n-- file bytes --cut-here".getBytes(StandardCharsets.ISO_8859_1))), "", "");
        int complete = indexOf(body, ("--" + boundary + "--").getBytes(StandardCharsets.US_ASCII)) + boundary.length() + 4;
        for (int length = 0; length < body.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(body, length);
            List<ByteBuf> given = new ArrayList<>();
            List<PartEvent> events = new ArrayList<>();
            Throwable[] failure = new Throwable[1];
            PARSER.parse(chunks(cut, 7, new SplittableRandom(length), given), boundary)
                    .doOnNext(events::add).onErrorResume(e -> {
                        failure[0] = e;
                        return Flux.empty();
                    }).blockLast();
            boolean fileEnded = events.stream().anyMatch(e -> e.isLast() && "file".equals(e.name()));
            events.forEach(e -> DataBufferUtils.release(e.content()));

            if (length < complete) {
                assertThat(failure[0]).as("cut at %d of %d", length, body.length).isInstanceOf(ProblemException.class);
                assertThat(((ProblemException) failure[0]).type()).isEqualTo(ProblemType.MALFORMED_REQUEST);
                // the file part ends only once its boundary, not a prefix of it, was read
                assertThat(fileEnded).as("file part ended at %d", length)
                        .isEqualTo(length >= indexOf(body, ("\r\n--" + boundary + "--").getBytes(StandardCharsets.US_ASCII)) + boundary.length() + 4);
            } else {
                assertThat(failure[0]).as("cut at %d", length).isNull();
            }
            assertThat(given).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--b\r\nContent-Type: text/plain\r\n\r\nno name\r\n--b--",
            "--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--",
            "--b\r\nno colon here\r\n\r\nx\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b-x",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bc\r\n",
            "--b\rContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--",
            "no boundary at all",
            ""})
    void a_malformed_body_is_a_400(String body) {
        List<ByteBuf> given = new ArrayList<>();
        assertThatThrownBy(() -> PARSER.parse(chunks(body.getBytes(StandardCharsets.US_ASCII), 3, new SplittableRandom(1), given), "b")
                .doOnNext(e -> DataBufferUtils.release(e.content())).blockLast())
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
        assertThat(given).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void headers_beyond_the_limit_and_parts_beyond_the_count_are_refused() {
        String longHeader = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Filler: " + "x".repeat(9000) + "\r\n\r\nx\r\n--b--";
        StringBuilder manyParts = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            manyParts.append("--b\r\nContent-Disposition: form-data; name=\"p").append(i).append("\"\r\n\r\nx\r\n");
        }
        manyParts.append("--b--");
        for (String body : List.of(longHeader, manyParts.toString())) {
            assertThatThrownBy(() -> PARSER.parse(chunks(body.getBytes(StandardCharsets.US_ASCII), 100, new SplittableRandom(2),
                    new ArrayList<>()), "b").doOnNext(e -> DataBufferUtils.release(e.content())).blockLast())
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.MALFORMED_REQUEST));
        }
    }

    @Test
    void the_boundary_is_read_from_the_content_type_quoted_or_not_and_a_missing_or_overlong_one_is_a_400() {
        assertThat(MultipartParts.boundary(MediaType.parseMediaType("multipart/form-data; boundary=abc"))).isEqualTo("abc");
        assertThat(MultipartParts.boundary(MediaType.parseMediaType("multipart/form-data; boundary=\"a b:c\""))).isEqualTo("a b:c");
        for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=" + "x".repeat(71))) {
            assertThatThrownBy(() -> MultipartParts.boundary(MediaType.parseMediaType(type))).isInstanceOf(ProblemException.class);
        }
    }

    // --- bodies ---------------------------------------------------------------------------------

    private static String boundary(SplittableRandom random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?";
        StringBuilder boundary = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(70); i < n; i++) {
            boundary.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return boundary.toString();
    }

    /** Random bytes with near-misses of the delimiter in them: CRLF, dashes and prefixes of the boundary. */
    private static byte[] content(SplittableRandom random, String boundary, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < length) {
            switch (random.nextInt(6)) {
                case 0 -> out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                case 1 -> out.writeBytes(("\r\n--" + boundary).substring(0, 1 + random.nextInt(3 + boundary.length()))
                        .getBytes(StandardCharsets.US_ASCII));
                case 2 -> out.writeBytes(("--" + boundary).getBytes(StandardCharsets.US_ASCII)); // without the CRLF: content
                default -> {
                    byte[] noise = new byte[random.nextInt(200)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
            }
        }
        byte[] content = java.util.Arrays.copyOf(out.toByteArray(), length);
        // a whole delimiter inside would end the part there: break each one (a prefix of it stays)
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        for (int at = indexOf(content, delimiter); at >= 0; at = indexOf(content, delimiter)) {
            content[at] = 'x';
        }
        return content;
    }

    private static byte[] body(String boundary, List<Part> parts, String preamble, String epilogue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
        for (Part part : parts) {
            // with a file name, so that Spring's parser hands over the bytes as they are (a form field's are decoded)
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\"; filename=\""
                    + part.name() + ".bin\"" + (part.contentType() != null ? "\r\nContent-Type: " + part.contentType() : "")
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--" + epilogue).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Flux<DataBuffer> chunks(byte[] body, int maxBuffer, SplittableRandom random, List<ByteBuf> given) {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int at = 0; at < body.length; ) {
            int n = Math.min(body.length - at, 1 + random.nextInt(maxBuffer));
            ByteBuf buf = NETTY.getByteBufAllocator().directBuffer(n);
            buf.writeBytes(body, at, n);
            given.add(buf);
            buffers.add(NETTY.wrap(buf));
            at += n;
        }
        return Flux.fromIterable(buffers);
    }

    private static List<PartEvent> spring(byte[] body, String boundary) {
        MockServerHttpRequest request = MockServerHttpRequest.post("/")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=\"" + boundary + "\""))
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        return new PartEventHttpMessageReader().read(ResolvableType.forClass(PartEvent.class), request, Map.of())
                .collectList().block();
    }

    /** Joins each part's events; every content buffer is released once read. */
    private static List<Parsed> parsed(List<PartEvent> events) {
        List<Parsed> parts = new ArrayList<>();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (PartEvent event : events) {
            byte[] bytes = new byte[event.content().readableByteCount()];
            event.content().read(bytes);
            DataBufferUtils.release(event.content());
            content.writeBytes(bytes);
            if (event.isLast()) {
                MediaType type = event.headers().getContentType();
                parts.add(new Parsed(event.name(), type == null ? null : type.toString(), content.toString(StandardCharsets.ISO_8859_1)));
                content.reset();
            }
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
