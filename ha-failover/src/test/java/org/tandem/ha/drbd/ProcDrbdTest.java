package org.tandem.ha.drbd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** /proc/drbd as DRBD 8.4 and 9 write it (the 8.4 text as a 2-resource, 3-volume node shows it mid-resync). */
class ProcDrbdTest {
    static final String DRBD_84 = """
            version: 8.4.11 (api:1/proto:86-101)
            srcversion: 2A2C0A5B3D1A2C6E6C9F0B1
             0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----
                ns:1048576 nr:0 dw:0 dr:1049224 al:8 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0
             1: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----
                ns:20480 nr:0 dw:0 dr:21144 al:8 bm:0 lo:0 pe:2 ua:0 ap:0 ep:1 wo:f oos:241664
            \t[=>..................] sync'ed: 10.2% (241664/262144)K
            \tfinish: 0:00:07 speed: 30,720 (30,720) K/sec
             2: cs:Unconfigured
             5: cs:WFConnection ro:Secondary/Unknown ds:Outdated/DUnknown C r-----
                ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0
            """;

    @Test
    void readsEachConfiguredMinorOfDrbd84() {
        ProcDrbd p = ProcDrbd.parse(DRBD_84);
        assertThat(p.drbd8()).isTrue();
        assertThat(p.minor(0)).contains(new ProcDrbd.Minor(0, "Connected", "Primary", "Secondary", "UpToDate",
                "UpToDate"));
        assertThat(p.minor(1)).contains(new ProcDrbd.Minor(1, "SyncSource", "Primary", "Secondary", "UpToDate",
                "Inconsistent"));
        assertThat(p.minor(5)).contains(new ProcDrbd.Minor(5, "WFConnection", "Secondary", "Unknown", "Outdated",
                "DUnknown"));
        assertThat(p.minor(2)).as("an unconfigured minor has no state").isEmpty();
        assertThat(p.minor(3)).as("a minor the file does not list").isEmpty();
    }

    @Test
    void readsTheStateNamesOfDrbd80() {
        ProcDrbd p = ProcDrbd.parse("""
                version: 8.0.16 (api:86/proto:86)
                 0: cs:Connected st:Secondary/Primary ds:UpToDate/UpToDate C r---
                """);
        assertThat(p.minor(0)).contains(new ProcDrbd.Minor(0, "Connected", "Secondary", "Primary", "UpToDate",
                "UpToDate"));
    }

    @Test
    void drbd9AndAnEmptyFileAreNotUsedForState() {
        ProcDrbd nine = ProcDrbd.parse("""
                version: 9.2.8 (api:2/proto:86-122)
                GIT-hash: e163b05a76254c0f51f999970e861d72bb16409a build by root, 2024-03-01 12:00:00
                Transports (api:20): tcp (9.2.8)
                """);
        assertThat(nine.drbd8()).isFalse();
        assertThat(nine.minor(0)).isEmpty();
        assertThat(ProcDrbd.parse("").drbd8()).isFalse();
    }
}
