package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Tenant initech, kept for the last-admin races (IdentityIntegrityIT, ScaleOutIT): its admins demote
 * each other, so which of them is still an active admin is read from the database, not assumed.
 */
final class RaceTenant {

    static final String ID = "33333333-3333-4333-8333-333333333333";
    static final String BOOTSTRAP_ADMIN = "admin@initech.test";

    private RaceTenant() {
    }

    /** Signs in, through {@code api}, as the most recently created admin that is still active. */
    static String signInAsActiveAdmin(Api api) throws Exception {
        List<String> emails = column("SELECT email FROM identity.users"
                + " WHERE tenant_id = ?::uuid AND role_type = 'tenant_admin' AND is_active ORDER BY created_at DESC");
        assertThat(emails).as("the race tenant has an active admin").isNotEmpty();
        String email = emails.get(0);
        String password = email.equals(BOOTSTRAP_ADMIN) ? EmbeddedStack.ACME_ADMIN.password() : Members.PASSWORD;
        return new EmbeddedStack.Admin(ID, email, password).signIn(api);
    }

    /** The user ids of the tenant's active admins. */
    static List<String> activeAdmins() throws Exception {
        return column("SELECT user_id FROM identity.users WHERE tenant_id = ?::uuid AND role_type = 'tenant_admin' AND is_active");
    }

    private static List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, ID);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
