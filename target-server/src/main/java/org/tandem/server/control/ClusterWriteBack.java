package org.tandem.server.control;

import org.tandem.lun.spi.IoMode;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.ConfigLine;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;

import java.util.function.Function;

/**
 * The rule that a LUN of a cluster group is written through: checked at start, by {@code tandemd --check} and
 * before a reload is applied. It needs only each target's group, so it lives here, below the cluster adapter.
 */
public final class ClusterWriteBack {
    private ClusterWriteBack() {
    }

    /**
     * Refuses IOMode=wb on a LUN of a cluster group: write-back acknowledges a write once it is in this server's
     * page cache, and a power-off (how the peer fences this server) erases it before it reached the disk and DRBD,
     * so the survivor would serve older data than the initiator was told it wrote. Write-through loses nothing the
     * initiator was told is written; its own cache and SYNCHRONIZE CACHE keep working as before.
     *
     * @param groupOf the cluster group of a target (by name), or null when it has none
     * @throws ConfigException naming ietd.conf, the Lun line and the fix
     */
    public static void refuse(TandemConfig config, Function<String, String> groupOf)
            throws ConfigException {
        for (TargetConfig t : config.targets()) {
            String group = groupOf.apply(t.name());
            if (group == null) {
                continue;
            }
            for (LunConfig l : t.luns()) {
                if (l.store().ioMode() == IoMode.WB) {
                    String where = l.origin() == ConfigLine.NONE ? config.file() + ": " : l.origin().prefix();
                    throw new ConfigException(where + "target " + t.name() + " LUN " + l.number() + " belongs to"
                            + " cluster group " + group + " and has IOMode=wb, which acknowledges writes from this"
                            + " server's page cache that a power-off erases before the peer has them: set IOMode=wt"
                            + " on that Lun line (the initiator's own write cache and SYNCHRONIZE CACHE stay correct)");
                }
            }
        }
    }
}
