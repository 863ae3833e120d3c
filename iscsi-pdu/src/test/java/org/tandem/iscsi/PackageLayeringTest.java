package org.tandem.iscsi;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * iscsi-pdu's layering, checked on its compiled classes: no cycle between its packages ({@code codec} reads and
 * writes {@code pdu}; {@code text} stands alone), and the wire format knows nothing of SCSI, the server or the
 * cluster.
 */
class PackageLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.iscsi");

    @Test
    void noCycleBetweenPackages() {
        slices().matching("org.tandem.iscsi.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theWireFormatKnowsNothingOfScsiTheServerOrTheCluster() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tandem.scsi..", "org.tandem.server..",
                "org.tandem.ha..").check(MAIN);
    }
}
