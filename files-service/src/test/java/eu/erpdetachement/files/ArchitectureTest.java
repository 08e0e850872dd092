package eu.erpdetachement.files;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain rules stay plain Java; storage knows nothing of HTTP. */
@AnalyzeClasses(packages = "eu.erpdetachement.files", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_free_of_frameworks = noClasses().that().resideInAPackage("..files.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "tools.jackson..", "io.r2dbc..",
                    "reactor..", "io.minio..", "org.keycloak..");

    @ArchTest
    static final ArchRule domain_does_not_know_the_outer_layers = noClasses().that().resideInAPackage("..files.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..files.api..", "..files.store..", "..files.app..");

    @ArchTest
    static final ArchRule storage_does_not_know_http = noClasses().that().resideInAPackage("..files.store..")
            .should().dependOnClassesThat().resideInAnyPackage("..files.api..", "org.springframework.web..");
}
