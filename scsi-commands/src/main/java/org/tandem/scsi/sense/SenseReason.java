package org.tandem.scsi.sense;

import static org.tandem.scsi.sense.SenseKey.ABORTED_COMMAND;
import static org.tandem.scsi.sense.SenseKey.DATA_PROTECT;
import static org.tandem.scsi.sense.SenseKey.HARDWARE_ERROR;
import static org.tandem.scsi.sense.SenseKey.ILLEGAL_REQUEST;
import static org.tandem.scsi.sense.SenseKey.MEDIUM_ERROR;
import static org.tandem.scsi.sense.SenseKey.MISCOMPARE;
import static org.tandem.scsi.sense.SenseKey.NOT_READY;
import static org.tandem.scsi.sense.SenseKey.NO_SENSE;
import static org.tandem.scsi.sense.SenseKey.UNIT_ATTENTION;

/**
 * Every reason a command can fail, each mapped once to its sense key and additional sense code (SPC-5 table
 * F.1 for the ASC/ASCQ values). Handlers return these; nobody else spells out sense codes.
 */
public enum SenseReason {
    NO_ADDITIONAL_SENSE(NO_SENSE, 0x00, 0x00),
    INVALID_COMMAND_OPERATION_CODE(ILLEGAL_REQUEST, 0x20, 0x00),
    LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE(ILLEGAL_REQUEST, 0x21, 0x00),
    INVALID_FIELD_IN_CDB(ILLEGAL_REQUEST, 0x24, 0x00),
    LOGICAL_UNIT_NOT_SUPPORTED(ILLEGAL_REQUEST, 0x25, 0x00),
    INVALID_FIELD_IN_PARAMETER_LIST(ILLEGAL_REQUEST, 0x26, 0x00),
    PARAMETER_LIST_LENGTH_ERROR(ILLEGAL_REQUEST, 0x1a, 0x00),
    SAVING_PARAMETERS_NOT_SUPPORTED(ILLEGAL_REQUEST, 0x39, 0x00),
    INVALID_FIELD_IN_COMMAND_INFORMATION_UNIT(ILLEGAL_REQUEST, 0x0e, 0x03),
    WRITE_PROTECTED(DATA_PROTECT, 0x27, 0x00),
    SOFTWARE_WRITE_PROTECTED(DATA_PROTECT, 0x27, 0x02),
    INVALID_RELEASE_OF_PERSISTENT_RESERVATION(ILLEGAL_REQUEST, 0x26, 0x04),
    LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION(NOT_READY, 0x04, 0x03),
    /** The LUN is moving between servers (failover, switchover): initiators retry. */
    ASYMMETRIC_ACCESS_STATE_TRANSITION(NOT_READY, 0x04, 0x0a),
    /** Served by the other server of the pair. */
    TARGET_PORT_IN_STANDBY_STATE(NOT_READY, 0x04, 0x0b),
    MEDIUM_NOT_PRESENT(NOT_READY, 0x3a, 0x00),
    UNRECOVERED_READ_ERROR(MEDIUM_ERROR, 0x11, 0x00),
    WRITE_ERROR(MEDIUM_ERROR, 0x0c, 0x00),
    MISCOMPARE_DURING_VERIFY_OPERATION(MISCOMPARE, 0x1d, 0x00),
    LOGICAL_UNIT_COMMUNICATION_FAILURE(HARDWARE_ERROR, 0x08, 0x00),
    INTERNAL_TARGET_FAILURE(HARDWARE_ERROR, 0x44, 0x00),
    COMMAND_ABORTED_OVERLAPPED(ABORTED_COMMAND, 0x4e, 0x00),
    DATA_PHASE_ERROR(ABORTED_COMMAND, 0x4b, 0x00),
    INVALID_TARGET_PORT_TRANSFER_TAG_RECEIVED(ABORTED_COMMAND, 0x4b, 0x01),
    TOO_MUCH_WRITE_DATA(ABORTED_COMMAND, 0x4b, 0x02),
    DATA_OFFSET_ERROR(ABORTED_COMMAND, 0x4b, 0x05),
    POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED(UNIT_ATTENTION, 0x29, 0x00),
    POWER_ON_OCCURRED(UNIT_ATTENTION, 0x29, 0x01),
    BUS_DEVICE_RESET_FUNCTION_OCCURRED(UNIT_ATTENTION, 0x29, 0x03),
    COMMANDS_CLEARED_BY_ANOTHER_INITIATOR(UNIT_ATTENTION, 0x2f, 0x00),
    CAPACITY_DATA_HAS_CHANGED(UNIT_ATTENTION, 0x2a, 0x09),
    REPORTED_LUNS_DATA_HAS_CHANGED(UNIT_ATTENTION, 0x3f, 0x0e),
    MODE_PARAMETERS_CHANGED(UNIT_ATTENTION, 0x2a, 0x01),
    RESERVATIONS_PREEMPTED(UNIT_ATTENTION, 0x2a, 0x03),
    REGISTRATIONS_PREEMPTED(UNIT_ATTENTION, 0x2a, 0x05),
    RESERVATIONS_RELEASED(UNIT_ATTENTION, 0x2a, 0x04);

    private final SenseKey key;
    private final int asc;
    private final int ascq;

    SenseReason(SenseKey key, int asc, int ascq) {
        this.key = key;
        this.asc = asc;
        this.ascq = ascq;
    }

    public SenseKey key() {
        return key;
    }

    public int asc() {
        return asc;
    }

    public int ascq() {
        return ascq;
    }
}
