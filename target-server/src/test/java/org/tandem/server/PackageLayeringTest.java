package org.tandem.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** target-server's layering, checked on its compiled classes: no cycle between its packages. */
class PackageLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.server");

    @Test
    void noCycleBetweenPackages() {
        // The root package (the launcher: Tandemd, ConfigCheck) wires every other package together; it matches no
        // slice, and sits above them all.
        slices().matching("org.tandem.server.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theKeyTableKnowsNothingOfIetdConf() {
        // config reads its directives from negotiation's IscsiKey; the table must stay usable without ietd.conf
        noClasses().that().resideInAPackage("org.tandem.server.negotiation..").should().dependOnClassesThat()
                .resideInAPackage("org.tandem.server.config..").check(MAIN);
    }
}
