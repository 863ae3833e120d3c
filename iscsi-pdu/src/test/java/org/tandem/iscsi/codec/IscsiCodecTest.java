package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IscsiCodecTest {

    /** A target-side decoder and an initiator-side encoder, as a test initiator would have them. */
    private static EmbeddedChannel targetDecoder(FrameSettings s) {
        return new EmbeddedChannel(new IscsiFrameDecoder(s, true));
    }

    private static ByteBuf encodeAsInitiator(IscsiPdu pdu, FrameSettings s) {
        EmbeddedChannel ch = new EmbeddedChannel(new IscsiPduEncoder(s));
        ch.writeOutbound(pdu);
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        ch.finishAndReleaseAll();
        return all;
    }

    @Test
    void loginRequestHasTheGoldenLayoutOfRfc7143() {
        ByteBuf text = Unpooled.copiedBuffer("InitiatorName=iqn.x\0", StandardCharsets.UTF_8);
        LoginRequest login = new LoginRequest(true, false, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, 0, 0, 0x80_1234_5678_9aL, 0, 0x11223344, 1, 7, 9, text);
        ByteBuf wire = encodeAsInitiator(login, new FrameSettings());
        String hex = ByteBufUtil.hexDump(wire, 0, 48);
        assertThat(hex).isEqualTo(""
                + "43"               // I bit + opcode 0x03 Login Request
                + "81"               // T=1, CSG=0 (security), NSG=1 (operational)
                + "00" + "00"        // Version-max, Version-min
                + "00" + "000014"    // TotalAHSLength 0, DataSegmentLength 20
                + "80123456789a"     // ISID
                + "0000"             // TSIH
                + "11223344"         // Initiator Task Tag
                + "0001" + "0000"    // CID, reserved
                + "00000007"         // CmdSN
                + "00000009"         // ExpStatSN
                + "00".repeat(16));  // reserved
        assertThat(wire.readableBytes()).isEqualTo(48 + 20);
        wire.release();
    }

    @Test
    void scsiCommandRoundTripsThroughEncoderAndByteAtATimeDecoder() {
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5});
        ScsiCommand cmd = new ScsiCommand(false, true, false, true, ScsiTaskAttribute.SIMPLE, 0x0001_0000_0000_0000L,
                42, 5, 100, 200, cdb, -1, data);
        FrameSettings settings = new FrameSettings();
        settings.digests(true, true);
        ByteBuf wire = encodeAsInitiator(cmd, settings);
        assertThat(wire.readableBytes()).isEqualTo(48 + 4 + 5 + 3 + 4);
        EmbeddedChannel ch = targetDecoder(settings);
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        ScsiCommand got = ch.readInbound();
        assertThat(got.write()).isTrue();
        assertThat(got.finalFlag()).isTrue();
        assertThat(got.initiatorTaskTag()).isEqualTo(42);
        assertThat(got.cmdSn()).isEqualTo(100);
        assertThat(got.expStatSn()).isEqualTo(200);
        assertThat(got.cdb()[0]).isEqualTo((byte) 0x2a);
        assertThat(got.logicalUnitNumber()).isEqualTo(0x0001_0000_0000_0000L);
        assertThat(ByteBufUtil.getBytes(got.data())).containsExactly(1, 2, 3, 4, 5);
        got.release();
        assertThat(got.data().refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void extendedCdbTravelsInAnAdditionalHeaderSegment() {
        byte[] cdb = new byte[32];
        for (int i = 0; i < cdb.length; i++) {
            cdb[i] = (byte) i;
        }
        ScsiCommand cmd = new ScsiCommand(false, true, true, false, ScsiTaskAttribute.SIMPLE, 0, 1, 512, 1, 1, cdb,
                4096, Unpooled.EMPTY_BUFFER);
        FrameSettings s = new FrameSettings();
        ByteBuf wire = encodeAsInitiator(cmd, s);
        EmbeddedChannel ch = targetDecoder(s);
        ch.writeInbound(wire);
        ScsiCommand got = ch.readInbound();
        assertThat(got.cdb()).containsExactly(cdb);
        assertThat(got.bidirectionalReadLength()).isEqualTo(4096);
        got.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void headerDigestErrorIsFatalAndDiscardsTheRest() {
        FrameSettings s = new FrameSettings();
        s.digests(true, false);
        ByteBuf wire = encodeAsInitiator(nop(7), s);
        wire.setByte(20, wire.getByte(20) ^ 1); // corrupt a header byte
        EmbeddedChannel ch = targetDecoder(s);
        ch.writeInbound(wire);
        InvalidPdu bad = ch.readInbound();
        assertThat(bad.fatal()).isTrue();
        assertThat(bad.detail()).contains("header digest");
        ch.writeInbound(encodeAsInitiator(nop(8), s));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void dataDigestErrorRejectsOnlyThatPdu() {
        FrameSettings s = new FrameSettings();
        s.digests(false, true);
        NopOut withData = new NopOut(true, 0, 5, Bhs.RESERVED_TAG, 1, 1, Unpooled.wrappedBuffer(new byte[] {9, 9}));
        ByteBuf wire = encodeAsInitiator(withData, s);
        wire.setByte(48, 8); // corrupt the data
        EmbeddedChannel ch = targetDecoder(s);
        ch.writeInbound(wire);
        InvalidPdu bad = ch.readInbound();
        assertThat(bad.reason()).isEqualTo(RejectReason.DATA_DIGEST_ERROR);
        assertThat(bad.fatal()).isFalse();
        assertThat(bad.header()).hasSize(48);
        ch.writeInbound(encodeAsInitiator(nop(9), s));
        NopOut next = ch.readInbound();
        assertThat(next.initiatorTaskTag()).isEqualTo(9);
        ch.finishAndReleaseAll();
    }

    @Test
    void dataSegmentLongerThanNegotiatedIsRefusedBeforeItArrives() {
        FrameSettings s = new FrameSettings();
        ByteBuf header = Unpooled.buffer(48);
        nop(1).writeBhs(header);
        header.setMedium(Bhs.DATA_SEGMENT_LENGTH, 0xffffff); // 16 MiB claimed, nothing sent
        EmbeddedChannel ch = targetDecoder(s);
        ch.writeInbound(header);
        InvalidPdu bad = ch.readInbound();
        assertThat(bad.fatal()).isTrue();
        assertThat(bad.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(bad.detail()).contains("MaxRecvDataSegmentLength");
        ch.finishAndReleaseAll();
    }

    @Test
    void targetOpcodeFromAnInitiatorIsRejectedAsNotSupported() {
        ByteBuf header = Unpooled.buffer(48);
        header.writeZero(48);
        header.setByte(0, 0x25); // Data-In: a target's opcode
        EmbeddedChannel ch = targetDecoder(new FrameSettings());
        ch.writeInbound(header);
        InvalidPdu bad = ch.readInbound();
        assertThat(bad.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
        assertThat(bad.fatal()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void dataInWithStatusRoundTripsOnTheInitiatorSide() {
        FrameSettings s = new FrameSettings();
        DataIn in = new DataIn(true, false, false, true, true, 0, 0, 3, -1, 10, 11, 12, 0, 0, 512,
                Unpooled.wrappedBuffer(new byte[2000]));
        EmbeddedChannel enc = new EmbeddedChannel(new IscsiPduEncoder(s));
        enc.writeOutbound(in);
        EmbeddedChannel dec = new EmbeddedChannel(new IscsiFrameDecoder(s, false));
        ByteBuf part;
        while ((part = enc.readOutbound()) != null) {
            dec.writeInbound(part);
        }
        DataIn got = dec.readInbound();
        assertThat(got.statusPresent()).isTrue();
        assertThat(got.residualUnderflow()).isTrue();
        assertThat(got.residualCount()).isEqualTo(512);
        assertThat(got.data().readableBytes()).isEqualTo(2000);
        got.release();
        enc.finishAndReleaseAll();
        dec.finishAndReleaseAll();
    }

    @Test
    void crc32cMatchesRfc3720AppendixB4() {
        // 32 bytes of zeroes: CRC aa 36 91 8a on the wire, i.e. 0x8a9136aa sent least significant byte first.
        assertThat(Crc32c.of(Unpooled.wrappedBuffer(new byte[32]), 0, 32)).isEqualTo(0x8a9136aa);
        byte[] ascending = new byte[32];
        for (int i = 0; i < 32; i++) {
            ascending[i] = (byte) i;
        }
        assertThat(Crc32c.of(Unpooled.wrappedBuffer(ascending), 0, 32)).isEqualTo(0x46dd794e);
    }

    private static NopOut nop(int itt) {
        return new NopOut(true, 0, itt, Bhs.RESERVED_TAG, 1, 1, Unpooled.EMPTY_BUFFER);
    }
}
