package org.tandem.server.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.ConfigLine;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A LUN that does not open names ietd.conf and its Lun line, says its path once, and says what to do. */
class LunOpenErrorTest {
    private static final String TARGET = "iqn.2026-11.org.example:disk";

    @TempDir
    Path dir;

    private TandemConfig read(String lun) throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "# disks\nTarget " + TARGET + "\n    Lun 0 Type=nullio\n    " + lun + "\n");
        return IetdConfParser.read(conf);
    }

    @Test
    void aMissingFileNamesTheLineAndHowToCreateIt() throws Exception {
        Path image = dir.resolve("nonexist.img");
        TandemConfig c = read("Lun 1 Path=nonexist.img,Type=fileio");
        assertThatThrownBy(() -> IscsiTarget.open(c.target(TARGET), 1, Runnable::run))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("ietd.conf") + ":4: target " + TARGET + " LUN 1: " + image + " does not"
                        + " exist: create it (e.g. 'truncate -s 10G " + image + "' for a fileio LUN) or correct Path="
                        + " on the Lun line");
    }

    @Test
    void otherFailuresSayThePathOnce() throws Exception {
        TandemConfig c = read("Lun 1 Path=" + dir + ",Type=fileio");
        assertThatThrownBy(() -> IscsiTarget.open(c.target(TARGET), 1, Runnable::run))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("ietd.conf") + ":4: target " + TARGET + " LUN 1: cannot open " + dir
                        + ": is not a regular file (use Type=blockio for block devices); correct Path= or Type= on"
                        + " the Lun line, or the file");
    }

    @Test
    void theLineIsNotPartOfWhatTheLunIs() throws Exception {
        Files.createFile(dir.resolve("a.img"));
        LunConfig here = read("Lun 1 Path=a.img,Type=fileio").target(TARGET).lun(1);
        LunConfig moved = here.at(new ConfigLine(dir.resolve("ietd.conf"), 9));
        assertThat(here.origin().line()).isEqualTo(4);
        // a reload after an edit above the line compares equal and leaves the LUN open
        assertThat(moved).isEqualTo(here).hasSameHashCodeAs(here);
    }

    @Test
    void aLunNotReadFromTheFileNamesNoLine() throws Exception {
        TandemConfig c = IetdConfParser.parse(dir.resolve("ietd.conf"), "Target " + TARGET
                + "\nLun 0 Path=missing.img\n"); // as the admin endpoint makes one up
        assertThat(c.target(TARGET).lun(0).origin()).isEqualTo(ConfigLine.NONE);
        assertThatThrownBy(() -> IscsiTarget.open(c.target(TARGET), 1, Runnable::run))
                .hasMessageStartingWith("target " + TARGET + " LUN 0: " + dir.resolve("missing.img") + " does not exist");
    }
}
