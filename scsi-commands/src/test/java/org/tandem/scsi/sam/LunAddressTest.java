package org.tandem.scsi.sam;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The single-level LUN field of SAM-5 section 4.7, byte by byte. */
class LunAddressTest {

    @Test
    void lunsBelow256UsePeripheralDeviceAddressingWithBusIdentifierZero() {
        // SAM-5 4.7.7.2: byte 0 = ADDRESS METHOD 00b and BUS IDENTIFIER 0, byte 1 = TARGET OR LUN.
        assertThat(LunAddress.of(0).field()).isEqualTo(0x0000_0000_0000_0000L);
        assertThat(LunAddress.of(1).field()).isEqualTo(0x0001_0000_0000_0000L);
        assertThat(LunAddress.of(255).field()).isEqualTo(0x00ff_0000_0000_0000L);
    }

    @Test
    void lunsFrom256To16383UseFlatSpaceAddressing() {
        // SAM-5 4.7.7.3: ADDRESS METHOD 01b in the top two bits of byte 0, the 14-bit FLAT SPACE LUN below.
        assertThat(LunAddress.of(256).field()).isEqualTo(0x4100_0000_0000_0000L);
        assertThat(LunAddress.of(300).field()).isEqualTo(0x412c_0000_0000_0000L);
        assertThat(LunAddress.of(16383).field()).isEqualTo(0x7fff_0000_0000_0000L);
    }

    @Test
    void numbersNoSingleLevelLunCarriesAreRefused() {
        assertThatThrownBy(() -> LunAddress.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LunAddress.of(16384)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16384");
    }

    @Test
    void everyNumberReadsBackFromItsField() {
        for (int lun = 0; lun <= LunAddress.MAX_NUMBER; lun++) {
            LunAddress address = new LunAddress(LunAddress.of(lun).field());
            assertThat(address.number()).isEqualTo(lun);
            assertThat(address.addressable()).isTrue();
        }
    }

    @Test
    void aFlatSpaceFieldMayAlsoNameALunBelow256() {
        assertThat(new LunAddress(0x4005_0000_0000_0000L).number()).isEqualTo(5);
    }

    @Test
    void fieldsBeyondASingleLevelOfPeripheralOrFlatAddressingAddressNoLogicalUnit() {
        long busIdentifier = 0x0105_0000_0000_0000L;        // peripheral, BUS IDENTIFIER 1
        long logicalUnitMethod = 0x8005_0000_0000_0000L;    // ADDRESS METHOD 10b
        long extendedMethod = 0xc005_0000_0000_0000L;       // ADDRESS METHOD 11b
        long secondLevel = 0x0005_0001_0000_0000L;          // a second level below LUN 5
        long lastByte = 0x0005_0000_0000_0001L;
        for (long field : new long[] {busIdentifier, logicalUnitMethod, extendedMethod, secondLevel, lastByte}) {
            LunAddress address = new LunAddress(field);
            assertThat(address.number()).as("0x%016x", field).isEqualTo(LunAddress.NOT_ADDRESSABLE);
            assertThat(address.addressable()).isFalse();
        }
    }
}
