package org.tandem.scsi;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * scsi-commands' layering, checked on its compiled classes. Bottom to top: the SAM-5 values ({@code sam}) and the
 * sense table ({@code sense}); CDB field reads ({@code cdb}) and the statistics ({@code stats}); reservations and
 * unit attentions ({@code reservation}); the command table and the context a handler sees ({@code command}); the
 * handlers ({@code spc}, {@code sbc}, {@code pr}); and on top the device definition and the logical unit
 * ({@code lu}). The module knows nothing of iSCSI sessions: no Netty channel, no iSCSI PDU, no server.
 */
class PackageLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.scsi");

    @Test
    void noCycleBetweenPackages() {
        slices().matching("org.tandem.scsi.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("device").definedBy("org.tandem.scsi.lu..")
                .layer("handlers").definedBy("org.tandem.scsi.spc..", "org.tandem.scsi.sbc..", "org.tandem.scsi.pr..")
                .layer("command table").definedBy("org.tandem.scsi.command..")
                .layer("reservations").definedBy("org.tandem.scsi.reservation..")
                .layer("cdb").definedBy("org.tandem.scsi.cdb..")
                .layer("statistics").definedBy("org.tandem.scsi.stats..")
                .layer("sam").definedBy("org.tandem.scsi.sam..")
                .layer("sense").definedBy("org.tandem.scsi.sense..")
                .whereLayer("device").mayNotBeAccessedByAnyLayer()
                .whereLayer("handlers").mayOnlyBeAccessedByLayers("device")
                .whereLayer("command table").mayOnlyBeAccessedByLayers("handlers", "device")
                .whereLayer("reservations").mayOnlyBeAccessedByLayers("command table", "handlers", "device")
                .whereLayer("cdb").mayOnlyBeAccessedByLayers("command table", "handlers", "device")
                .whereLayer("statistics").mayOnlyBeAccessedByLayers("command table", "device")
                .whereLayer("sam").mayOnlyBeAccessedByLayers("reservations", "command table", "handlers", "device")
                .whereLayer("sense").mayOnlyBeAccessedByLayers("sam", "reservations", "command table", "handlers",
                        "device")
                .check(MAIN);
    }

    @Test
    void handlersSeeTheCommandContextNeverTheLogicalUnit() {
        noClasses().that().resideInAnyPackage("org.tandem.scsi.spc..", "org.tandem.scsi.sbc..", "org.tandem.scsi.pr..")
                .should().dependOnClassesThat().resideInAPackage("org.tandem.scsi.lu..").check(MAIN);
    }

    @Test
    void knowsNothingOfSessions() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.tandem.iscsi..", "org.tandem.server..",
                "org.tandem.ha..").check(MAIN);
    }

    @Test
    void usesNettyForItsBuffersOnly() {
        // Data-in and data-out travel as ByteBufs without a copy; channels, pipelines and event loops are the
        // transport's.
        noClasses().should().dependOnClassesThat(resideInAPackage("io.netty..")
                .and(not(resideInAPackage("io.netty.buffer..")))).check(MAIN);
    }
}
