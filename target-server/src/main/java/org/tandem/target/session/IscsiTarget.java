package org.tandem.target.session;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.spi.BlockStores;
import org.tandem.scsi.command.StandardCommands;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.LunIdentity;
import org.tandem.target.config.ConfigException;
import org.tandem.target.config.LunConfig;
import org.tandem.target.config.TargetConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/** A configured target at run time: its settings and its opened logical units by LUN number. */
public final class IscsiTarget implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IscsiTarget.class);

    private final TargetConfig config;
    private final Map<Integer, LogicalUnit> luns;
    private final List<Integer> lunNumbers;

    private IscsiTarget(TargetConfig config, Map<Integer, LogicalUnit> luns) {
        this.config = config;
        this.luns = Collections.unmodifiableMap(luns);
        this.lunNumbers = List.copyOf(luns.keySet());
    }

    /** Opens every LUN's store; if one fails, those already opened are closed and the error names the LUN. */
    public static IscsiTarget open(TargetConfig config, int portalGroupTag, Executor ioExecutor)
            throws ConfigException {
        Map<Integer, LogicalUnit> luns = new TreeMap<>();
        List<Integer> numbers = config.luns().stream().map(LunConfig::number).toList();
        try {
            for (LunConfig lun : config.luns()) {
                BlockStore store;
                try {
                    store = BlockStores.open(lun.store());
                } catch (IOException e) {
                    throw new ConfigException("target " + config.name() + " LUN " + lun.number() + ": cannot open "
                            + lun.store().path() + ": " + e.getMessage(), e);
                }
                LunIdentity identity = LunIdentity.derive(config.name(), portalGroupTag, lun.number(), lun.scsiId(),
                        lun.scsiSn());
                luns.put(lun.number(), new LogicalUnit(identity, store, ioExecutor, StandardCommands.table(),
                        () -> numbers));
                LOG.info("target {} LUN {}: {}", config.name(), lun.number(), store.describe());
            }
        } catch (ConfigException e) {
            closeAll(new ArrayList<>(luns.values()));
            throw e;
        }
        return new IscsiTarget(config, luns);
    }

    public String name() {
        return config.name();
    }

    public TargetConfig config() {
        return config;
    }

    /** The logical unit with this number, or null. */
    public LogicalUnit lun(int number) {
        return luns.get(number);
    }

    public List<Integer> lunNumbers() {
        return lunNumbers;
    }

    public Iterable<LogicalUnit> units() {
        return luns.values();
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(luns.values()));
    }

    private static void closeAll(List<LogicalUnit> units) {
        for (LogicalUnit u : units) {
            try {
                u.store().flush();
                u.close();
            } catch (IOException e) {
                LOG.error("closing LUN {} of {}: {}", u.identity().lun(), u.identity().targetName(), e.toString());
            }
        }
    }
}
