package eu.erpdetachement.checkin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The check-in rules stay plain Java, readable without knowing Spring, SQL or HTTP. */
@AnalyzeClasses(packages = "eu.erpdetachement.checkin", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_is_free_of_frameworks = noClasses().that().resideInAPackage("..checkin.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "tools.jackson..", "io.r2dbc..",
                    "reactor..", "eu.erpdetachement.platform..");

    @ArchTest
    static final ArchRule domain_does_not_know_the_outer_layers = noClasses().that().resideInAPackage("..checkin.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..checkin.api..", "..checkin.store..", "..checkin.app..");

    @ArchTest
    static final ArchRule storage_does_not_know_http = noClasses().that().resideInAPackage("..checkin.store..")
            .should().dependOnClassesThat().resideInAnyPackage("..checkin.api..", "org.springframework.web..");
}
