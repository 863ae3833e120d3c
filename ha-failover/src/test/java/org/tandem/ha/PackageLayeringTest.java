package org.tandem.ha;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * ha-failover's layering, checked on its compiled classes: no cycle between its packages, and nothing of the
 * iSCSI target: the cluster drives the target through the interfaces it defines (takeover.GroupResources).
 */
class PackageLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.ha");

    @Test
    void noCycleBetweenPackages() {
        slices().matching("org.tandem.ha.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theClusterKnowsNothingOfTheTarget() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tandem.server..", "org.tandem.scsi..",
                "org.tandem.iscsi..", "org.tandem.lun..").check(MAIN);
    }
}
