package org.tandem.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * target-server's layering, checked on its compiled classes: no cycle between its packages, and ha-failover
 * reached only through the cluster adapter.
 */
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

    @Test
    void onlyTheClusterAdapterAndTheLauncherDependOnHaFailover() {
        // control talks to the cluster through control.ClusterControl, net hands out ConnectionAddress values; the
        // adapter (org.tandem.server.ha) maps both onto ha-failover, and the launcher builds the node.
        noClasses().that().resideOutsideOfPackage("org.tandem.server.ha..")
                .and().doNotBelongToAnyOf(Tandemd.class, ConfigCheck.class)
                .should().dependOnClassesThat().resideInAPackage("org.tandem.ha..")
                .check(MAIN);
    }
}
