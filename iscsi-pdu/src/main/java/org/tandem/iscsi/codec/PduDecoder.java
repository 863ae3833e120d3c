package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import org.tandem.iscsi.pdu.AsyncMessage;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.Opcode;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.SnackRequest;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;

import java.util.EnumMap;
import java.util.Map;

/** The table from opcode to the record that reads it: the one place decoding dispatches. */
final class PduDecoder {
    private static final Map<Opcode, PduReader> READERS = new EnumMap<>(Opcode.class);

    static {
        READERS.put(Opcode.NOP_OUT, NopOut::decode);
        READERS.put(Opcode.SCSI_COMMAND, ScsiCommand::decode);
        READERS.put(Opcode.TASK_MANAGEMENT_REQUEST, TaskManagementRequest::decode);
        READERS.put(Opcode.LOGIN_REQUEST, LoginRequest::decode);
        READERS.put(Opcode.TEXT_REQUEST, TextRequest::decode);
        READERS.put(Opcode.SCSI_DATA_OUT, DataOut::decode);
        READERS.put(Opcode.LOGOUT_REQUEST, LogoutRequest::decode);
        READERS.put(Opcode.SNACK_REQUEST, SnackRequest::decode);
        READERS.put(Opcode.NOP_IN, NopIn::decode);
        READERS.put(Opcode.SCSI_RESPONSE, ScsiResponse::decode);
        READERS.put(Opcode.TASK_MANAGEMENT_RESPONSE, TaskManagementResponse::decode);
        READERS.put(Opcode.LOGIN_RESPONSE, LoginResponse::decode);
        READERS.put(Opcode.TEXT_RESPONSE, TextResponse::decode);
        READERS.put(Opcode.SCSI_DATA_IN, DataIn::decode);
        READERS.put(Opcode.LOGOUT_RESPONSE, LogoutResponse::decode);
        READERS.put(Opcode.READY_TO_TRANSFER, ReadyToTransfer::decode);
        READERS.put(Opcode.ASYNC_MESSAGE, AsyncMessage::decode);
        READERS.put(Opcode.REJECT, Reject::decode);
    }

    private PduDecoder() {
    }

    static IscsiPdu decode(Opcode opcode, ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
        return READERS.get(opcode).read(bhs, ahs, data);
    }
}
