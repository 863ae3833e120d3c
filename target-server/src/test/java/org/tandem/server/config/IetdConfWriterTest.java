package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Saving keeps what a person wrote: comments, order, spelling of unchanged lines. */
class IetdConfWriterTest {
    private static final Path FILE = Path.of("/etc/iet/ietd.conf");
    private static final String TEXT = """
            # Storage for the web farm
            IncomingUser discovery discoverysecret

            # The database disks
            Target iqn.2026-11.org.example:db
            \tAlias Database
            \tIncomingUser dbuser dbsecret12345
            \t# fast disk first
            \tLun 0 Path=/dev/vg0/db,Type=blockio
            \tLun 1 Path=db1.img,\\
            Type=fileio,IOMode=wb
            \tMaxConnections 1

            # Scratch space, to be retired
            Target iqn.2026-11.org.example:scratch
            \tLun 0 Type=nullio

            # Web servers share this one
            Target iqn.2026-11.org.example:web
            \tLun 0 Path=web0.img
            """;

    private static TandemConfig parse(String text) throws ConfigException {
        return IetdConfParser.parse(FILE, text);
    }

    @Test
    void anUnchangedConfigurationIsWrittenExactlyAsItWas() throws Exception {
        assertThat(IetdConfWriter.render(TEXT.lines().toList(), parse(TEXT))).isEqualTo(TEXT);
    }

    @Test
    void changesTouchOnlyTheirLinesAndTheResultParsesToTheRunningConfiguration() throws Exception {
        TandemConfig c = parse(TEXT);
        List<TargetConfig> targets = new ArrayList<>();
        TargetConfig db = c.target("iqn.2026-11.org.example:db");
        List<LunConfig> dbLuns = new ArrayList<>(db.luns());
        dbLuns.remove(1);
        dbLuns.add(new LunConfig(2, new StoreSpec(StoreType.FILEIO, Path.of("/etc/iet/db2.img"), IoMode.WB, 4096, 0),
                null, "DB2"));
        targets.add(db.withLuns(dbLuns).withAccounts(List.of(new ChapAccount("dbuser", "dbsecret12345"),
                new ChapAccount("backup", "backupsecret1")), new ChapAccount("target", "targetsecret1")));
        targets.add(c.target("iqn.2026-11.org.example:web"));
        targets.add(TargetConfig.empty("iqn.2026-11.org.example:new", "New one").withLuns(List.of(new LunConfig(0,
                new StoreSpec(StoreType.FILEIO, Path.of("/srv/new.img"), IoMode.WT, 0, 0), null, null))));
        TandemConfig running = new TandemConfig(FILE, c.discoveryIncoming(), c.discoveryOutgoing(), targets,
                c.initiatorsAllow(), c.targetsAllow());

        String written = IetdConfWriter.render(TEXT.lines().toList(), running);

        assertThat(written).isEqualTo("""
                # Storage for the web farm
                IncomingUser discovery discoverysecret

                # The database disks
                Target iqn.2026-11.org.example:db
                \tAlias Database
                \tIncomingUser dbuser dbsecret12345
                \tIncomingUser backup backupsecret1
                \tOutgoingUser target targetsecret1
                \t# fast disk first
                \tLun 0 Path=/dev/vg0/db,Type=blockio
                \tLun 2 Path=db2.img,Type=fileio,IOMode=wb,BlockSize=4096,ScsiSN=DB2
                \tMaxConnections 1

                # Web servers share this one
                Target iqn.2026-11.org.example:web
                \tLun 0 Path=web0.img

                Target iqn.2026-11.org.example:new
                    Alias New one
                    Lun 0 Path=/srv/new.img,Type=fileio,IOMode=wt
                """);
        TandemConfig reread = parse(written);
        assertThat(reread.targets()).isEqualTo(running.targets());
    }

    @Test
    void allowRulesAreRewrittenInPlaceAndStayOpenForOthersWhenThereWasNoFile() throws Exception {
        AccessRules none = AccessRules.allowAll();
        AccessRules one = none.withRules(FILE, "iqn.2026-11.org.example:db", List.of("10.1.0.0/16", "iqn.1991-05.*"),
                List.of("iqn.2026-11.org.example:db", "iqn.2026-11.org.example:web"));
        assertThat(one.allows("iqn.2026-11.org.example:db", java.net.InetAddress.getByName("10.2.0.1"), "iqn.x"))
                .isFalse();
        assertThat(one.allows("iqn.2026-11.org.example:db", java.net.InetAddress.getByName("10.1.0.1"), "iqn.x"))
                .isTrue();
        assertThat(one.allows("iqn.2026-11.org.example:web", java.net.InetAddress.getByName("10.2.0.1"), "iqn.x"))
                .isTrue();
        assertThat(one.render(List.of())).isEqualTo("iqn.2026-11.org.example:db 10.1.0.0/16, iqn.1991-05.*\n"
                + "iqn.2026-11.org.example:web ALL\n");
        java.nio.file.Path allow = java.nio.file.Files.createTempFile("initiators", ".allow");
        List<String> written = List.of("# who may log in", "iqn.2026-11.org.example:db 10.1.0.0/16", "ALL ALL");
        java.nio.file.Files.write(allow, written);
        AccessRules changed = AccessRules.read(allow).withRules(allow, "iqn.2026-11.org.example:db",
                List.of("10.3.0.0/16"), List.of());
        java.nio.file.Files.delete(allow);
        assertThat(changed.render(written)).isEqualTo("# who may log in\niqn.2026-11.org.example:db 10.3.0.0/16\n"
                + "ALL ALL\n");
        assertThat(changed.rulesFor("iqn.2026-11.org.example:db")).containsExactly("10.3.0.0/16");
    }
}
