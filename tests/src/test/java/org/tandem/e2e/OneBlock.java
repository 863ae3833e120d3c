package org.tandem.e2e;

import java.util.Arrays;

/** One 512-byte block at LBA 0: the CDBs and data the CmdSN-ordering tests write, read and compare. */
final class OneBlock {
    static final int BYTES = 512;

    private OneBlock() {
    }

    /** A 16-byte CDB of this opcode (READ(10) 0x28, WRITE(10) 0x2a) for one block at LBA 0. */
    static byte[] cdb(int opcode) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[8] = 1; // transfer length: one block
        return cdb;
    }

    /** A block filled with one byte value, so what reads back tells which write landed last. */
    static byte[] pattern(int seed) {
        byte[] b = new byte[BYTES];
        Arrays.fill(b, (byte) seed);
        return b;
    }
}
