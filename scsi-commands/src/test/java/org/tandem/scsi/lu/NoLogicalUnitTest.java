package org.tandem.scsi.lu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.scsi.sam.ScsiStatus;
import org.tandem.scsi.sense.SenseReason;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LUN without a logical unit (SPC-5 section 4.6.5, SAM-5 section 5.9.5): INQUIRY answers with peripheral
 * qualifier 3, REPORT LUNS lists the target's LUNs, REQUEST SENSE returns LOGICAL UNIT NOT SUPPORTED as data, and
 * every other command ends in CHECK CONDITION with ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED (25h/00h).
 */
class NoLogicalUnitTest {
    private static final ItNexus NEXUS = new ItNexus("iqn.a,i,0x000000000001", "iqn.t,t,0x0001");
    private static final int ILLEGAL_REQUEST = 0x05;
    private static final int LOGICAL_UNIT_NOT_SUPPORTED = 0x25;

    private final NoLogicalUnit absent = new NoLogicalUnit(() -> List.of(0, 300));

    @Test
    void isNoLogicalUnitToTaskManagement() {
        assertThat(absent.exists()).isFalse();
    }

    @Test
    void inquiryReportsPeripheralQualifier3AndDeviceType1Fh() {
        CommandResult r = run(new byte[] {0x12, 0, 0, 0, 36, 0});
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        byte[] data = bytes(r);
        assertThat(data).hasSize(36);
        assertThat(data[0]).isEqualTo((byte) 0x7f);
        assertThat(new String(data, 8, 8)).isEqualTo("TANDEM  ");
    }

    @Test
    void inquiryForAVitalProductDataPageIsLogicalUnitNotSupported() {
        assertNotSupported(run(new byte[] {0x12, 0x01, (byte) 0x80, 0, (byte) 0xff, 0}));
    }

    @Test
    void reportLunsListsTheTargetsLogicalUnits() {
        CommandResult r = run(new byte[] {(byte) 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0});
        ByteBuf d = r.dataIn();
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(d.getInt(0)).isEqualTo(16); // LUN LIST LENGTH: two entries
        assertThat(d.getLong(8)).isEqualTo(LunAddress.of(0).field());
        assertThat(d.getLong(16)).isEqualTo(LunAddress.of(300).field());
        d.release();
    }

    @Test
    void requestSenseReturnsLogicalUnitNotSupportedAsParameterData() {
        CommandResult r = run(new byte[] {0x03, 0, 0, 0, (byte) 0xff, 0});
        assertThat(r.status()).isEqualTo(ScsiStatus.GOOD);
        byte[] sense = bytes(r);
        assertThat(sense[0] & 0x7f).isEqualTo(0x70); // fixed format, current error
        assertThat(sense[2] & 0x0f).isEqualTo(ILLEGAL_REQUEST);
        assertThat(sense[12]).isEqualTo((byte) LOGICAL_UNIT_NOT_SUPPORTED);
        assertThat(sense[13]).isEqualTo((byte) 0);
    }

    @Test
    void everyOtherCommandIsCheckConditionLogicalUnitNotSupported() {
        assertNotSupported(run(new byte[] {0x00, 0, 0, 0, 0, 0}));                       // TEST UNIT READY
        assertNotSupported(run(new byte[] {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}));           // READ(10)
    }

    @Test
    void theDataOutBufferIsReleasedUnread() {
        ByteBuf dataOut = Unpooled.buffer(512).writeZero(512);
        CommandResult r = absent.execute(new CommandRequest(NEXUS, new byte[] {0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0},
                dataOut)).toCompletableFuture().join();
        assertNotSupported(r);
        assertThat(dataOut.refCnt()).isZero();
    }

    @Test
    void aResetChangesNothing() {
        absent.reset(SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        assertThat(bytes(run(new byte[] {0x03, 0, 0, 0, (byte) 0xff, 0}))[12])
                .isEqualTo((byte) LOGICAL_UNIT_NOT_SUPPORTED);
    }

    private CommandResult run(byte[] cdb) {
        return absent.execute(new CommandRequest(NEXUS, cdb, Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
    }

    private static void assertNotSupported(CommandResult r) {
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(r.sense()[2] & 0x0f).isEqualTo(ILLEGAL_REQUEST);
        assertThat(r.sense()[12]).isEqualTo((byte) LOGICAL_UNIT_NOT_SUPPORTED);
        assertThat(r.sense()[13]).isEqualTo((byte) 0);
    }

    private static byte[] bytes(CommandResult r) {
        ByteBuf d = r.dataIn();
        byte[] b = new byte[d.readableBytes()];
        d.getBytes(d.readerIndex(), b);
        d.release();
        return b;
    }
}
