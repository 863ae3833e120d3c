package org.tandem.lun;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * lun-backends' layering, checked on its compiled classes: no cycle between its packages; the SPI knows no
 * implementation (only {@code store} does); and the module knows nothing of SCSI, iSCSI or the cluster.
 */
class PackageLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.lun");

    @Test
    void noCycleBetweenPackages() {
        slices().matching("org.tandem.lun.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theSpiImportsNoImplementation() {
        noClasses().that().resideInAPackage("org.tandem.lun.spi..").should().dependOnClassesThat()
                .resideInAnyPackage("org.tandem.lun.file..", "org.tandem.lun.memory..", "org.tandem.lun.store..")
                .check(MAIN);
    }

    @Test
    void storesKnowNothingOfScsiIscsiOrTheCluster() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tandem.scsi..", "org.tandem.iscsi..",
                "org.tandem.server..", "org.tandem.ha..").check(MAIN);
    }
}
