package eu.erpdetachement.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import tools.jackson.databind.json.JsonMapper;

class ProblemExceptionHandlerTest {

    private final ProblemExceptionHandler handler = new ProblemExceptionHandler(new ProblemResponses(JsonMapper.builder().build()));
    private final JsonMapper strict = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Body(String email, int count) {
    }

    private Throwable decodingFailure(String json) {
        try {
            strict.readValue(json, Body.class);
            throw new AssertionError("expected a decoding failure for " + json);
        } catch (RuntimeException e) {
            return new ServerWebInputException("Failed to read HTTP message", null, e);
        }
    }

    @Test
    void malformed_json_is_400() {
        ProblemDetail problem = handler.toProblem(decodingFailure("{\"email\": "), "/v1/x");
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getType().toString()).endsWith("/malformed-request");
        assertThat(problem.getInstance().toString()).isEqualTo("/v1/x");
    }

    @Test
    void an_unknown_field_is_422_naming_the_field() {
        ProblemDetail problem = handler.toProblem(decodingFailure("{\"email\":\"a@b.c\",\"count\":1,\"tenant_id\":\"x\"}"), "/v1/x");
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getProperties()).containsKey("errors");
        assertThat(problem.getProperties().get("errors")).isEqualTo(List.of(new FieldError("tenant_id", "unknown field")));
    }

    @Test
    void a_wrong_type_is_422_naming_the_field() {
        ProblemDetail problem = handler.toProblem(decodingFailure("{\"email\":\"a@b.c\",\"count\":\"many\"}"), "/v1/x");
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat((List<?>) problem.getProperties().get("errors")).extracting("field").containsExactly("count");
    }

    @Test
    void a_body_over_the_limit_is_413() {
        Throwable tooLarge = new ServerWebInputException("read", null, new DataBufferLimitException("too big"));
        assertThat(handler.toProblem(tooLarge, "/v1/x").getStatus()).isEqualTo(413);
    }

    @Test
    void an_unsupported_content_type_is_415() {
        Throwable unsupported = new UnsupportedMediaTypeStatusException(MediaType.TEXT_PLAIN, List.of(MediaType.APPLICATION_JSON));
        assertThat(handler.toProblem(unsupported, "/v1/x").getStatus()).isEqualTo(415);
    }

    @Test
    void jdbc_failures_are_a_client_mistake_an_unreachable_database_or_a_bound_reached() {
        // a value the database refused (SQLSTATE class 22): the request's, never a 500
        assertThat(handler.toProblem(new IllegalStateException("insert", new java.sql.SQLException("value too long", "22001")),
                "/v1/x").getStatus()).isEqualTo(422);
        // the database went away or cannot be reached (class 08, an administrator's shutdown 57P01)
        assertThat(handler.toProblem(new IllegalStateException("read", new java.sql.SQLException("I/O error", "08006")),
                "/v1/x").getStatus()).isEqualTo(503);
        assertThat(handler.toProblem(new IllegalStateException("read", new java.sql.SQLException("terminating", "57P01")),
                "/v1/x").getStatus()).isEqualTo(503);
        // a bound reached (BlockingDataAccess turns it into a TimeoutException)
        assertThat(handler.toProblem(new java.util.concurrent.TimeoutException("The database did not answer in time"),
                "/v1/x").getStatus()).isEqualTo(504);
    }

    @Test
    void a_framework_404_keeps_its_status() {
        assertThat(handler.toProblem(new ResponseStatusException(HttpStatus.NOT_FOUND), "/nope").getStatus()).isEqualTo(404);
    }

    @Test
    void a_404_never_names_the_url_the_service_was_called_at() {
        var notFound = new org.springframework.web.reactive.resource.NoResourceFoundException(
                java.net.URI.create("http://127.0.0.1:8081/v1/users/x/y"), "v1/users/x/y");
        var problem = handler.toProblem(notFound, "/v1/users/x/y");
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).isEqualTo("No resource at this path.").doesNotContain("127.0.0.1");
    }

    @Test
    void an_unreachable_upstream_is_503() {
        Throwable down = new RuntimeException("relay", new ConnectException("Connection refused"));
        assertThat(handler.toProblem(down, "/v1/me").getStatus()).isEqualTo(503);
    }

    @Test
    void an_unexpected_fault_is_a_500_that_hides_its_cause() {
        ProblemDetail problem = handler.toProblem(new IllegalStateException("db password is hunter2"), "/v1/me");
        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getDetail()).doesNotContain("hunter2");
    }

    @Test
    void a_problem_exception_keeps_its_type_errors_and_members() {
        ProblemException conflict = ProblemException.conflict("Already checked in.", java.util.Map.of("current_state", "checked_in"));
        ProblemDetail problem = handler.toProblem(conflict, "/v1/missions/m/worker-check-events");
        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getProperties()).containsEntry("current_state", "checked_in");
    }

    @Test
    void a_number_out_of_range_is_422_naming_the_field() {
        ProblemDetail problem = handler.toProblem(decodingFailure("{\"email\":\"a@b.c\",\"count\":99999999999999999999}"), "/v1/x");
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat((List<?>) problem.getProperties().get("errors")).extracting("field").containsExactly("count");
    }

    @Test
    void an_empty_path_variable_is_400_not_500() throws Exception {
        java.lang.reflect.Method method = Paths.class.getDeclaredMethod("complete", java.util.UUID.class);
        var parameter = new org.springframework.core.MethodParameter(method, 0);
        Throwable missing = new org.springframework.web.server.ServerErrorException("Missing path variable", parameter, null);

        ProblemDetail problem = handler.toProblem(missing, "/v1/files/:complete");

        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).contains("file_id");
    }

    static class Paths {
        void complete(@org.springframework.web.bind.annotation.PathVariable("file_id") java.util.UUID fileId) {
        }
    }
}
