package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reload applies only the difference: what did not change keeps its very objects (and so its sessions). */
class ReloadTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final String B = "iqn.2026-11.org.tandem.test:b";
    private static final String C = "iqn.2026-11.org.tandem.test:c";

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private TargetControl control;
    private Path conf;

    @BeforeEach
    void start() throws Exception {
        conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + A + "\n Lun 0 Type=nullio\nTarget " + B + "\n Lun 0 Type=nullio\n"
                + " Lun 1 Type=nullio,Blocks=100\n");
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        control = new TargetControl(catalog, ConfigFile.of(config));
    }

    @AfterEach
    void stop() {
        catalog.close();
    }

    @Test
    void appliesTheDifferenceOnly() throws Exception {
        IscsiTarget a = catalog.target(A);
        LogicalUnit a0 = a.lun(0);
        LogicalUnit b0 = catalog.target(B).lun(0);
        Files.writeString(conf, "Target " + A + "\n Lun 0 Type=nullio\nTarget " + B + "\n Lun 0 Type=nullio\n"
                + " Lun 1 Type=nullio,Blocks=200\n Lun 2 Type=nullio\n MaxConnections 2\nTarget " + C
                + "\n Lun 0 Type=nullio\n");

        ReloadReport report = control.reload();

        assertThat(report.targetsAdded()).containsExactly(C);
        assertThat(report.targetsRemoved()).isEmpty();
        assertThat(report.targetsUnchanged()).isOne();
        assertThat(report.changes()).containsExactly(B + ": settings", B + ": LUN 1 replaced", B + ": LUN 2 added");
        assertThat(catalog.target(A)).isSameAs(a);
        assertThat(a.lun(0)).isSameAs(a0);
        assertThat(catalog.target(B).lun(0)).isSameAs(b0);
        assertThat(catalog.target(B).lun(1).store().blockCount()).isEqualTo(200);
        assertThat(catalog.target(C).lunNumbers()).containsExactly(0);
        // Without a cluster nothing waits for anyone: what the reload opened serves at once.
        assertThat(List.of(catalog.target(B).lun(1), catalog.target(B).lun(2), catalog.target(C).lun(0)))
                .allMatch(LogicalUnit::online);

        Files.writeString(conf, "Target " + C + "\n Lun 0 Type=nullio\n");
        assertThat(control.reload().targetsRemoved()).containsExactly(A, B);
        assertThat(catalog.targets()).extracting(IscsiTarget::name).containsExactly(C);
    }

    @Test
    void aFileThatDoesNotParseChangesNothing() throws Exception {
        Files.writeString(conf, "Target " + A + "\n Lun 0 Type=floppy\n");
        assertThatThrownBy(() -> control.reload()).isInstanceOf(ControlException.class)
                .hasMessageContaining("nothing changed").hasMessageContaining(conf + ":2:");
        assertThat(catalog.targets()).extracting(IscsiTarget::name).containsExactly(A, B);
    }

    @Test
    void aNulInALunPathIsRefusedWithItsLine() throws Exception {
        // binary garbage: java.nio refuses a NUL in a path with an unchecked InvalidPathException, which escaped
        Files.writeString(conf, "Target " + A + "\n Lun 0 Path=/srv/a\u0000b,Type=fileio\n");
        assertThatThrownBy(() -> control.reload()).isInstanceOf(ControlException.class)
                .hasMessageContaining("nothing changed").hasMessageContaining(conf + ":2:");
        assertThat(catalog.targets()).extracting(IscsiTarget::name).containsExactly(A, B);
    }

    @Test
    void savingASymlinkedIetdConfWritesTheFileItPointsTo() throws Exception {
        // HA sites keep ietd.conf on storage both nodes reach and link /etc/iet/ietd.conf to it
        Path shared = Files.createDirectories(dir.resolve("shared")).resolve("ietd.conf");
        Files.move(conf, shared);
        Files.createSymbolicLink(conf, shared);
        control.save(false);
        assertThat(Files.isSymbolicLink(conf)).as("the link survives a save").isTrue();
        assertThat(Files.readString(shared)).contains("Target " + A);
    }
}
