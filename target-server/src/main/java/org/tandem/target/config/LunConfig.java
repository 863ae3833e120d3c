package org.tandem.target.config;

import org.tandem.lun.spi.StoreSpec;

/** One Lun line: its number, its storage, and the SCSI identity overrides ScsiId and ScsiSN (null when absent). */
public record LunConfig(int number, StoreSpec store, String scsiId, String scsiSn) {
}
