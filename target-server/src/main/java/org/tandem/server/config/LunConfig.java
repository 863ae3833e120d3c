package org.tandem.server.config;

import org.tandem.lun.spi.StoreSpec;

import java.util.Objects;

/**
 * One Lun line: its number, its storage, and the SCSI identity overrides ScsiId and ScsiSN (null when absent), and
 * where it was written ({@link ConfigLine#NONE} when not read from ietd.conf). Where it was written is not part of
 * what the LUN is: a LUN moved down by an edit above it is the same LUN, so a reload leaves it open.
 */
public record LunConfig(int number, StoreSpec store, String scsiId, String scsiSn, ConfigLine origin) {

    /** A LUN not read from a file. */
    public LunConfig(int number, StoreSpec store, String scsiId, String scsiSn) {
        this(number, store, scsiId, scsiSn, ConfigLine.NONE);
    }

    /** The same LUN, written at {@code where}. */
    public LunConfig at(ConfigLine where) {
        return new LunConfig(number, store, scsiId, scsiSn, where);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LunConfig l && number == l.number && store.equals(l.store)
                && Objects.equals(scsiId, l.scsiId) && Objects.equals(scsiSn, l.scsiSn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, store, scsiId, scsiSn);
    }
}
