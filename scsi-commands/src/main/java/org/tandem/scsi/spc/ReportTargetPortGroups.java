package org.tandem.scsi.spc;

import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * REPORT TARGET PORT GROUPS (SPC-5 section 6.36): the asymmetric access state of the one target port group a
 * LUN is reached through. A cluster's two servers present the same target port behind the floating portal; the
 * server that owns the LUN reports it active/optimized, the other (reachable only on its own addresses) standby,
 * and a LUN taken offline by an operator unavailable. Implicit transitions only, so no SET TARGET PORT GROUPS.
 */
public final class ReportTargetPortGroups {
    /** The target port group's identifier (also in the device identification VPD page). */
    public static final int GROUP = 1;
    static final int ACTIVE_OPTIMIZED = 0x0;
    static final int STANDBY = 0x2;
    static final int UNAVAILABLE = 0x3;
    static final int TRANSITIONING = 0xf;
    /** T_SUP, U_SUP, S_SUP, AO_SUP: the states this target port group can be in. */
    private static final int SUPPORTED_STATES = 0x80 | 0x08 | 0x04 | 0x01;
    /** STATUS CODE 02h: the state was changed by the target's implicit behaviour (a failover). */
    private static final int STATUS_IMPLICIT = 0x02;
    private static final int FORMAT_EXTENDED = 0x1;
    /** IMPLICIT TRANSITION TIME in the extended header, seconds: a takeover takes about as long as deadtime. */
    private static final int IMPLICIT_TRANSITION_SECONDS = 10;

    private ReportTargetPortGroups() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        byte[] cdb = c.cdb();
        int format = Cdb.u8(cdb, 1) >>> 5;
        if (format > FORMAT_EXTENDED) {
            return CommandContext.done(CommandResult.invalidField(1, 7));
        }
        long allocationLength = Cdb.u32(cdb, 6);
        int state = state(c.notReadyReason());
        int header = format == FORMAT_EXTENDED ? 8 : 4;
        byte[] d = new byte[header + 12];
        int descriptors = d.length - 4;
        d[0] = (byte) (descriptors >>> 24);
        d[1] = (byte) (descriptors >>> 16);
        d[2] = (byte) (descriptors >>> 8);
        d[3] = (byte) descriptors;
        if (format == FORMAT_EXTENDED) {
            d[4] = 0x10;                                  // FORMAT TYPE 001b
            d[5] = (byte) IMPLICIT_TRANSITION_SECONDS;
        }
        int i = header;
        d[i] = (byte) (0x80 | state);                   // PREF: the one group is the preferred path
        d[i + 1] = (byte) SUPPORTED_STATES;
        d[i + 2] = (byte) (GROUP >>> 8);
        d[i + 3] = (byte) GROUP;
        d[i + 5] = (byte) STATUS_IMPLICIT;
        d[i + 7] = 1;                                   // TARGET PORT COUNT
        int port = c.identity().relativePort();
        d[i + 10] = (byte) (port >>> 8);
        d[i + 11] = (byte) port;
        return CommandContext.done(CommandResult.good(ParameterData.truncated(d, (int) Math.min(allocationLength,
                Integer.MAX_VALUE))));
    }

    static int state(SenseReason notReady) {
        if (notReady == null) {
            return ACTIVE_OPTIMIZED;
        }
        if (notReady == SenseReason.TARGET_PORT_IN_STANDBY_STATE) {
            return STANDBY;
        }
        if (notReady == SenseReason.ASYMMETRIC_ACCESS_STATE_TRANSITION) {
            return TRANSITIONING;
        }
        return UNAVAILABLE;
    }
}
