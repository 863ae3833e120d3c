package org.tandem.scsi.command;

import org.tandem.scsi.reservation.ReservationRule;
import org.tandem.scsi.stats.IoStatistics;

/**
 * One row of the command table: an opcode (and service action, or -1), its name from the spec, its CDB length,
 * the CDB usage data bitmap reported by REPORT SUPPORTED OPERATION CODES (SPC-5 section 6.35.3), whether it is
 * executed even while a unit attention is pending (INQUIRY, REPORT LUNS, REQUEST SENSE: SAM-5 section 5.14), how
 * it fares against another initiator's reservation, what it counts as in the I/O statistics, its handler, and
 * whether it answers while the unit is not ready (standby: REPORT TARGET PORT GROUPS, SPC-5 section 5.16.2.4.4).
 */
public record CommandDescriptor(int opcode, int serviceAction, String name, byte[] usageData,
                                boolean reportsPastUnitAttention, ReservationRule reservationRule,
                                IoStatistics.Kind statisticsKind, CommandHandler handler, boolean answersWhileNotReady) {

    public int cdbLength() {
        return usageData.length;
    }

    /** A command identified by its opcode alone. */
    public static CommandDescriptor of(int opcode, String name, int[] usage, CommandHandler handler) {
        return new CommandDescriptor(opcode, -1, name, bytes(usage), false, ReservationRule.ALLOWED, IoStatistics.Kind.OTHER, handler, false);
    }

    /** A command identified by opcode and service action. */
    public static CommandDescriptor of(int opcode, int serviceAction, String name, int[] usage,
                                       CommandHandler handler) {
        return new CommandDescriptor(opcode, serviceAction, name, bytes(usage), false, ReservationRule.ALLOWED,
                IoStatistics.Kind.OTHER, handler, false);
    }

    /** The same command, executed even while a unit attention condition is pending. */
    public CommandDescriptor pastUnitAttention() {
        return new CommandDescriptor(opcode, serviceAction, name, usageData, true, reservationRule, statisticsKind,
                handler, answersWhileNotReady);
    }

    /** The same command, reading the medium or its settings (conflicts with Exclusive Access reservations). */
    public CommandDescriptor reads() {
        return new CommandDescriptor(opcode, serviceAction, name, usageData, reportsPastUnitAttention,
                ReservationRule.READ, statisticsKind, handler, answersWhileNotReady);
    }

    /** The same command, changing the medium or its settings (conflicts with every reservation type). */
    public CommandDescriptor writes() {
        return new CommandDescriptor(opcode, serviceAction, name, usageData, reportsPastUnitAttention,
                ReservationRule.WRITE, statisticsKind, handler, answersWhileNotReady);
    }

    /** The same command, counted in the statistics as a read or write of the medium with its bytes. */
    public CommandDescriptor countsAs(IoStatistics.Kind kind) {
        return new CommandDescriptor(opcode, serviceAction, name, usageData, reportsPastUnitAttention,
                reservationRule, kind, handler, answersWhileNotReady);
    }

    /** The same command, answered while the unit is not ready (in standby, offline, or in transition). */
    public CommandDescriptor pastNotReady() {
        return new CommandDescriptor(opcode, serviceAction, name, usageData, reportsPastUnitAttention,
                reservationRule, statisticsKind, handler, true);
    }

    private static byte[] bytes(int[] usage) {
        byte[] b = new byte[usage.length];
        for (int i = 0; i < usage.length; i++) {
            b[i] = (byte) usage[i];
        }
        return b;
    }
}
