package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandem.iscsi.pdu.AsyncMessage;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.Opcode;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.SnackRequest;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every PDU of RFC 7143 (the SCSI Command has its own tests) survives encode then decode with every field intact,
 * with digests on, in the direction it travels. Records compare their data segments by content.
 */
class EveryPduRoundTripTest {

    private static ByteBuf data(String s) {
        return Unpooled.copiedBuffer(s, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static List<IscsiPdu> samples() {
        return List.of(
                new NopOut(true, 0x0001000000000000L, 7, 0xffffffff, 10, 20, data("ping")),
                new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK, 0, 8, 3, 11, 21, 9, 0),
                new LoginRequest(true, false, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE,
                        0, 0, 0x023d00000001L, 0, 9, 1, 12, 22, data("MaxBurstLength=262144\0")),
                new TextRequest(false, true, false, 0, 10, 0xffffffff, 13, 23, data("SendTargets=All\0")),
                new DataOut(true, 0, 11, 5, 24, 2, 8192, data("abcdefg")),
                new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 12, 0, 14, 25),
                new SnackRequest(1, 0, 13, 6, 26, 3, 4),
                new NopIn(0, 0xffffffff, 44, 30, 40, 70, Unpooled.EMPTY_BUFFER),
                new ScsiResponse(14, 0, 2, false, true, 512, false, false, 0, 31, 41, 71, 3, data("\0\022sense")),
                new TaskManagementResponse(TaskManagementResponse.FUNCTION_COMPLETE, 15, 32, 42, 72),
                new LoginResponse(true, false, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION,
                        LoginStage.FULL_FEATURE_PHASE, 0, 0, 0x023d00000001L, 7, 9, 33, 43, 73, 0, 0,
                        data("TargetPortalGroupTag=1\0")),
                new TextResponse(true, false, 0, 16, 0xffffffff, 34, 44, 74, data("TargetName=iqn.x\0")),
                new DataIn(true, false, false, false, true, 0, 0, 17, 0xffffffff, 35, 45, 75, 0, 0, 0, data("xyz")),
                new LogoutResponse(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY, 18, 36, 46, 76, 2, 0),
                new ReadyToTransfer(0, 19, 6, 37, 47, 77, 1, 65536, 262144),
                new AsyncMessage(0, 38, 48, 78, AsyncMessage.LOGOUT_REQUESTED, 0, 0, 2, 20, Unpooled.EMPTY_BUFFER),
                new Reject(RejectReason.INVALID_PDU_FIELD, 39, 49, 79, 0, Unpooled.wrappedBuffer(new byte[48])));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void survivesTheWireWithDigests(IscsiPdu pdu) {
        FrameSettings settings = new FrameSettings();
        settings.digests(true, true);
        EmbeddedChannel encoder = new EmbeddedChannel(new IscsiPduEncoder(settings));
        EmbeddedChannel decoder = new EmbeddedChannel(new IscsiFrameDecoder(settings,
                pdu.opcode().fromInitiator()));
        ByteBuf expectedData = pdu.data().copy();
        encoder.writeOutbound(pdu);
        ByteBuf part;
        while ((part = encoder.readOutbound()) != null) {
            decoder.writeInbound(part);
        }
        IscsiPdu back = decoder.readInbound();
        assertThat(back).isNotNull();
        assertThat(back.opcode()).isEqualTo(pdu.opcode());
        assertThat(back.data()).isEqualTo(expectedData);
        // Records compare every field; the data segment by content (ByteBuf.equals).
        assertThat(back).usingRecursiveComparison().ignoringFields("data").isEqualTo(pdu);
        back.release();
        expectedData.release();
        assertThat(encoder.finish()).isFalse();
        assertThat(decoder.finish()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theSamplesCoverEveryOpcodeButScsiCommand() {
        Set<Opcode> covered = samples().stream().map(IscsiPdu::opcode).collect(Collectors.toSet());
        Set<Opcode> all = EnumSet.allOf(Opcode.class);
        all.remove(Opcode.SCSI_COMMAND);
        assertThat(covered).isEqualTo(all);
    }
}
