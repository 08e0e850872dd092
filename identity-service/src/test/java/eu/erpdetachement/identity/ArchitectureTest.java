package eu.erpdetachement.identity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain rules stay plain Java; storage knows nothing of HTTP. */
@AnalyzeClasses(packages = "eu.erpdetachement.identity", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_free_of_frameworks = noClasses().that().resideInAPackage("..identity.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "tools.jackson..", "io.r2dbc..",
                    "reactor..", "io.minio..", "org.keycloak..");

    @ArchTest
    static final ArchRule domain_does_not_know_the_outer_layers = noClasses().that().resideInAPackage("..identity.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..identity.api..", "..identity.store..", "..identity.app..");

    @ArchTest
    static final ArchRule storage_does_not_know_http = noClasses().that().resideInAPackage("..identity.store..")
            .should().dependOnClassesThat().resideInAnyPackage("..identity.api..", "org.springframework.web..");
}
