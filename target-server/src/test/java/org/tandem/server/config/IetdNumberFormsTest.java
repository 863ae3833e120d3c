package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.tandem.server.negotiation.IscsiKey;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Numbers of ietd.conf as IET read them: target and session values with strtol(..., 0) and the Lun options with the
 * kernel's match_int, so a leading 0 is octal; the LUN number itself with strtol(..., 10).
 */
class IetdNumberFormsTest {
    private static final Path FILE = Path.of("/etc/iet/ietd.conf");
    private static final String TARGET = "Target iqn.2026-11.org.example:disk\n";

    private static TargetConfig target(String lines) throws ConfigException {
        return IetdConfParser.parse(FILE, TARGET + lines).targets().get(0);
    }

    @Test
    void aLeadingZeroIsOctalInValues() throws Exception {
        assertThat(target("MaxRecvDataSegmentLength 010000\n").settings()
                .number(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH)).isEqualTo(4096);
        assertThat(target("Lun 0 Type=nullio,Blocks=0100\n").lun(0).store().blocks()).isEqualTo(64);
        assertThat(target("Lun 0 Type=nullio,BlockSize=01000\n").lun(0).store().blockSize()).isEqualTo(512);
    }

    @Test
    void theLunNumberIsDecimal() throws Exception {
        assertThat(target("Lun 010 Type=nullio\n").luns().get(0).number()).isEqualTo(10);
    }

    @Test
    void formsIetReadOtherwiseAreRefused() {
        // strtol("08", 0) stops at the 8 and reads 0; strtol("0x+2", 0) reads 0
        assertThatThrownBy(() -> target("MaxConnections 08\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("octal");
        assertThatThrownBy(() -> target("MaxConnections 0x+2\n")).isInstanceOf(ConfigException.class);
    }
}
