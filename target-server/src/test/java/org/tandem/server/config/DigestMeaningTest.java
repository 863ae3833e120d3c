package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.tandem.server.CapturedLog;
import org.tandem.server.negotiation.IscsiKey;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HeaderDigest and DataDigest lines whose meaning in Tandem (RFC 7143) differs from IET's: IET's
 * digest_str_to_val (usr/param.c) always added None, and its digest_set_val chose CRC32C whenever both sides allowed
 * it. The value is kept (negotiation is RFC 7143's); the difference is warned about with the line to write.
 */
class DigestMeaningTest {
    private static final Path FILE = Path.of("/etc/iet/ietd.conf");
    private static final String TARGET = "iqn.2026-11.org.example:disk";

    private static List<String> warnings(String lines) throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            IetdConfParser.parse(FILE, "Target " + TARGET + "\n" + lines);
            return log.warnings();
        }
    }

    @Test
    void crc32cAloneNowRefusesInitiatorsWithoutDigests() throws Exception {
        assertThat(warnings("    HeaderDigest CRC32C\n")).containsExactly(FILE + ":2: target " + TARGET
                + ": 'HeaderDigest CRC32C' differs from IET: IET also let in initiators without digests; Tandem"
                + " requires CRC32C: initiators that offer only None are refused. Write 'HeaderDigest CRC32C,None'"
                + " to allow both");
    }

    @Test
    void bothValuesNowFollowTheInitiatorsOrder() throws Exception {
        String crcFirst = FILE + ":3: target " + TARGET + ": 'DataDigest CRC32C,None' differs from IET: IET chose"
                + " CRC32C whenever the initiator allowed it; Tandem takes the initiator's first choice as RFC 7143"
                + " says: initiators that offer None first get no digest. Write 'DataDigest CRC32C' to require it";
        assertThat(warnings("    Lun 0 Type=nullio\n    DataDigest CRC32C,None\n")).containsExactly(crcFirst);
        assertThat(warnings("    HeaderDigest None, CRC32C\n")).singleElement().asString()
                .startsWith(FILE + ":2: target " + TARGET + ": 'HeaderDigest None, CRC32C' differs from IET");
    }

    @Test
    void noneAloneMeansWhatItMeantInIet() throws Exception {
        assertThat(warnings("    HeaderDigest None\n    DataDigest None\n")).isEmpty();
    }

    @Test
    void theValueIsKeptAsWritten() throws Exception {
        TandemConfig c = IetdConfParser.parse(FILE, "Target " + TARGET + "\n    HeaderDigest CRC32C\n");
        assertThat(c.target(TARGET).settings().digest(IscsiKey.HEADER_DIGEST)).isEqualTo("CRC32C");
    }
}
