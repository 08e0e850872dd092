package eu.erpdetachement.files.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    private static final UUID TENANT = UUID.fromString("11111111-1111-4111-8111-111111111111");

    @ParameterizedTest
    @CsvSource({
            "workers/42/a1.pdf, tenants/11111111-1111-4111-8111-111111111111/workers/42/a1.pdf",
            "./workers//42/./a1.pdf, tenants/11111111-1111-4111-8111-111111111111/workers/42/a1.pdf",
            "a1.pdf, tenants/11111111-1111-4111-8111-111111111111/a1.pdf"})
    void keeps_relative_paths_under_the_tenant_prefix(String path, String key) {
        assertThat(ObjectKeys.forTenant(TENANT, path).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "../22222222-2222-4222-8222-222222222222/secret.pdf",
            "workers/../../other/x.pdf",
            "/etc/passwd",
            "workers\\..\\x.pdf",
            "workers/%2e%2e/x.pdf",
            "workers/x\u0000.pdf",
            "workers/x\n.pdf",
            "..",
            "./",
            "   ",
            "...",
    })
    void refuses_paths_that_could_escape_or_mislead(String path) {
        ObjectKeys.Result result = ObjectKeys.forTenant(TENANT, path);
        assertThat(result.isAccepted()).as(path).isFalse();
        assertThat(result.refusal()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(ints = {513, 2000})
    void refuses_overlong_paths(int length) {
        assertThat(ObjectKeys.forTenant(TENANT, "a".repeat(length)).isAccepted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"uploads/x", "../uploads/x", "a/../../uploads/x", "/uploads/x"})
    void no_registered_path_is_an_upload_key(String path) {
        UUID file = UUID.randomUUID();
        String uploadKey = ObjectKeys.uploadKey(TENANT, file);
        assertThat(uploadKey).startsWith("uploads/").doesNotStartWith(ObjectKeys.tenantPrefix(TENANT));
        ObjectKeys.Result registered = ObjectKeys.forTenant(TENANT, path);
        assertThat(!registered.isAccepted() || registered.key().startsWith(ObjectKeys.tenantPrefix(TENANT))).isTrue();
    }
}
