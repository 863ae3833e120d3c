package org.tandem.server.control;

/**
 * A LUN to add, in ietd.conf's terms: Lun options by their IET names (Path, Type, IOMode, BlockSize, Blocks,
 * ScsiId, ScsiSN; null when not given). {@code lun} null takes the lowest free number; {@code createBytes}, when
 * set, creates a sparse file of that size first (fileio only, never over an existing file).
 */
public record LunRequest(Integer lun, String path, String type, String ioMode, Integer blockSize, Long blocks,
                         String scsiId, String scsiSn, Long createBytes) {
}
