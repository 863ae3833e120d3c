package org.tandem.scsi.lu;

import org.tandem.scsi.command.CommandDescriptor;
import org.tandem.scsi.command.CommandTable;
import org.tandem.scsi.pr.PersistentReserveIn;
import org.tandem.scsi.pr.PersistentReserveOut;
import org.tandem.scsi.pr.Reserve;
import org.tandem.scsi.sbc.BlockAccess;
import org.tandem.scsi.sbc.BlockRange;
import org.tandem.scsi.sbc.CompareAndWrite;
import org.tandem.scsi.sbc.ReadCapacity;
import org.tandem.scsi.sbc.SynchronizeCache;
import org.tandem.scsi.sbc.WriteSame;
import org.tandem.scsi.spc.Inquiry;
import org.tandem.scsi.spc.ModeSelect;
import org.tandem.scsi.spc.ModeSense;
import org.tandem.scsi.spc.ReportLuns;
import org.tandem.scsi.spc.ReportSupportedOperationCodes;
import org.tandem.scsi.spc.ReportTargetPortGroups;
import org.tandem.scsi.spc.RequestSense;
import org.tandem.scsi.spc.TestUnitReady;

import java.util.List;

import static org.tandem.scsi.stats.IoStatistics.Kind.READ;
import static org.tandem.scsi.stats.IoStatistics.Kind.WRITE;

import static org.tandem.scsi.command.CommandDescriptor.of;

/**
 * The commands a Tandem block LUN supports: one line each, with the CDB usage data of REPORT SUPPORTED
 * OPERATION CODES (a 1 bit marks a CDB bit the command looks at; the last byte is CONTROL with its NACA bit).
 */
public final class StandardCommands {
    private static final CommandTable TABLE = new CommandTable(List.of(
            of(0x00, "TEST UNIT READY", new int[] {0x00, 0, 0, 0, 0, 0x04}, TestUnitReady::execute),
            of(0x03, "REQUEST SENSE", new int[] {0x03, 0x01, 0, 0, 0xff, 0x04}, RequestSense::execute)
                    .pastUnitAttention(),
            of(0x08, "READ(6)", new int[] {0x08, 0x1f, 0xff, 0xff, 0xff, 0x04},
                    c -> BlockAccess.read(c, BlockRange::of6)).reads().countsAs(READ),
            of(0x0a, "WRITE(6)", new int[] {0x0a, 0x1f, 0xff, 0xff, 0xff, 0x04},
                    c -> BlockAccess.write(c, BlockRange::of6)).writes().countsAs(WRITE),
            of(0x15, "MODE SELECT(6)", new int[] {0x15, 0x11, 0, 0, 0xff, 0x04}, ModeSelect::execute6).writes(),
            of(0x16, "RESERVE(6)", new int[] {0x16, 0, 0, 0, 0, 0x04}, Reserve::reserve),
            of(0x17, "RELEASE(6)", new int[] {0x17, 0, 0, 0, 0, 0x04}, Reserve::release),
            of(0x12, "INQUIRY", new int[] {0x12, 0x01, 0xff, 0xff, 0xff, 0x04}, Inquiry::execute).pastUnitAttention(),
            of(0x1a, "MODE SENSE(6)", new int[] {0x1a, 0x08, 0xff, 0xff, 0xff, 0x04}, ModeSense::execute6).reads(),
            of(0x25, "READ CAPACITY(10)", new int[] {0x25, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x01, 0x04},
                    ReadCapacity::execute10),
            of(0x28, "READ(10)", new int[] {0x28, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> BlockAccess.read(c, BlockRange::of10)).reads().countsAs(READ),
            of(0x2a, "WRITE(10)", new int[] {0x2a, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> BlockAccess.write(c, BlockRange::of10)).writes().countsAs(WRITE),
            of(0x2e, "WRITE AND VERIFY(10)", new int[] {0x2e, 0xf6, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> BlockAccess.writeAndVerify(c, BlockRange::of10)).writes().countsAs(WRITE),
            of(0x2f, "VERIFY(10)", new int[] {0x2f, 0xf6, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> BlockAccess.verify(c, BlockRange::of10)).reads(),
            of(0x34, "PRE-FETCH(10)", new int[] {0x34, 0x02, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> BlockAccess.preFetch(c, BlockRange::of10)).reads(),
            of(0x35, "SYNCHRONIZE CACHE(10)", new int[] {0x35, 0x02, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> SynchronizeCache.execute(c, BlockRange::of10)).writes(),
            of(0x55, "MODE SELECT(10)", new int[] {0x55, 0x11, 0, 0, 0, 0, 0, 0xff, 0xff, 0x04},
                    ModeSelect::execute10).writes(),
            of(0x56, "RESERVE(10)", new int[] {0x56, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x04}, Reserve::reserve),
            of(0x57, "RELEASE(10)", new int[] {0x57, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x04}, Reserve::release),
            of(0x41, "WRITE SAME(10)", new int[] {0x41, 0xe0, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, 0x04},
                    c -> WriteSame.execute(c, BlockRange::of10)).writes().countsAs(WRITE),
            of(0x5a, "MODE SENSE(10)", new int[] {0x5a, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0x04},
                    ModeSense::execute10).reads(),
            of(0x5e, 0x00, "PERSISTENT RESERVE IN / READ KEYS",
                    new int[] {0x5e, 0x1f, 0, 0, 0, 0, 0, 0xff, 0xff, 0x04}, PersistentReserveIn::readKeys),
            of(0x5e, 0x01, "PERSISTENT RESERVE IN / READ RESERVATION",
                    new int[] {0x5e, 0x1f, 0, 0, 0, 0, 0, 0xff, 0xff, 0x04}, PersistentReserveIn::readReservation),
            of(0x5e, 0x02, "PERSISTENT RESERVE IN / REPORT CAPABILITIES",
                    new int[] {0x5e, 0x1f, 0, 0, 0, 0, 0, 0xff, 0xff, 0x04}, PersistentReserveIn::reportCapabilities),
            of(0x5e, 0x03, "PERSISTENT RESERVE IN / READ FULL STATUS",
                    new int[] {0x5e, 0x1f, 0, 0, 0, 0, 0, 0xff, 0xff, 0x04}, PersistentReserveIn::readFullStatus),
            prout(PersistentReserveOut.REGISTER, "REGISTER"),
            prout(PersistentReserveOut.RESERVE, "RESERVE"),
            prout(PersistentReserveOut.RELEASE, "RELEASE"),
            prout(PersistentReserveOut.CLEAR, "CLEAR"),
            prout(PersistentReserveOut.PREEMPT, "PREEMPT"),
            prout(PersistentReserveOut.PREEMPT_AND_ABORT, "PREEMPT AND ABORT"),
            prout(PersistentReserveOut.REGISTER_AND_IGNORE_EXISTING_KEY, "REGISTER AND IGNORE EXISTING KEY"),
            of(0x88, "READ(16)", new int[] {0x88, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0x1f, 0x04}, c -> BlockAccess.read(c, BlockRange::of16)).reads().countsAs(READ),
            of(0x89, "COMPARE AND WRITE", new int[] {0x89, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0,
                    0, 0, 0xff, 0x1f, 0x04}, CompareAndWrite::execute).writes().countsAs(WRITE),
            of(0x8a, "WRITE(16)", new int[] {0x8a, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0x1f, 0x04}, c -> BlockAccess.write(c, BlockRange::of16)).writes().countsAs(WRITE),
            of(0x8e, "WRITE AND VERIFY(16)", new int[] {0x8e, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0xff, 0x1f, 0x04}, c -> BlockAccess.writeAndVerify(c, BlockRange::of16)).writes().countsAs(WRITE),
            of(0x8f, "VERIFY(16)", new int[] {0x8f, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0x1f, 0x04}, c -> BlockAccess.verify(c, BlockRange::of16)).reads(),
            of(0x90, "PRE-FETCH(16)", new int[] {0x90, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0x1f, 0x04}, c -> BlockAccess.preFetch(c, BlockRange::of16)).reads(),
            of(0x91, "SYNCHRONIZE CACHE(16)", new int[] {0x91, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0xff, 0x1f, 0x04}, c -> SynchronizeCache.execute(c, BlockRange::of16)).writes(),
            of(0x93, "WRITE SAME(16)", new int[] {0x93, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0x1f, 0x04}, c -> WriteSame.execute(c, BlockRange::of16)).writes().countsAs(WRITE),
            of(0x9e, 0x10, "READ CAPACITY(16)", new int[] {0x9e, 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
                    0xff, 0, 0x04}, ReadCapacity::execute16),
            of(0xa0, "REPORT LUNS", new int[] {0xa0, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0x04},
                    ReportLuns::execute).pastUnitAttention(),
            of(0xa3, 0x0a, "REPORT TARGET PORT GROUPS", new int[] {0xa3, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0,
                    0x04}, ReportTargetPortGroups::execute).pastNotReady(),
            of(0xa3, 0x0c, "REPORT SUPPORTED OPERATION CODES", new int[] {0xa3, 0x1f, 0x87, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0, 0x04}, ReportSupportedOperationCodes::execute),
            of(0xa8, "READ(12)", new int[] {0xa8, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x04},
                    c -> BlockAccess.read(c, BlockRange::of12)).reads().countsAs(READ),
            of(0xaa, "WRITE(12)", new int[] {0xaa, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x04},
                    c -> BlockAccess.write(c, BlockRange::of12)).writes().countsAs(WRITE),
            of(0xae, "WRITE AND VERIFY(12)", new int[] {0xae, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0x1f, 0x04}, c -> BlockAccess.writeAndVerify(c, BlockRange::of12)).writes().countsAs(WRITE),
            of(0xaf, "VERIFY(12)", new int[] {0xaf, 0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x04},
                    c -> BlockAccess.verify(c, BlockRange::of12)).reads()));

    private StandardCommands() {
    }

    private static CommandDescriptor prout(int serviceAction, String name) {
        return of(0x5f, serviceAction, "PERSISTENT RESERVE OUT / " + name,
                new int[] {0x5f, 0x1f, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x04}, PersistentReserveOut::execute);
    }

    public static CommandTable table() {
        return TABLE;
    }
}
