package org.tandem.server.ha;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target a reload adds after start, with a group written as {@code iscsitarget}: it belongs to no group on
 * either node, so neither may serve it.
 */
class TargetGroupResourcesTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final String LATER = "iqn.2026-11.org.tandem.test:later";

    @TempDir
    Path dir;
    private TargetCatalog catalog;

    private TargetCatalog catalog(String... targets) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String t : targets) {
            text.append("Target ").append(t).append("\n Lun 0 Type=nullio\n");
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, text);
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        return catalog;
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    @Test
    void aTargetAddedAfterStartUnderIscsitargetGoesToStandby() throws Exception {
        TargetCatalog c = catalog(A, LATER); // LATER came with a reload: the group got only A at start
        List<ResourceGroup> groups = List.of(new ResourceGroup("all", "s1", List.of("r0"), List.of(), List.of(A),
                List.of(), true));
        List<String> warnings = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("unclaimed", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        Logger logger = (Logger) LogManager.getLogger(TargetGroupResources.class);
        logger.addAppender(appender);
        try {
            assertThat(TargetGroupResources.standbyUnclaimed(c, groups)).containsExactly(LATER);
        } finally {
            logger.removeAppender(appender);
        }
        assertThat(warnings).containsExactly("cluster: target(s) [" + LATER + "] added after start belong to no"
                + " group; in standby on this node (and on the peer) so that no two nodes serve them: restart both"
                + " daemons one after the other for iscsitarget to take them, or name them in haresources with"
                + " iscsi-target::IQN");
        assertThat(c.target(LATER).lun(0).notReadyReason()).isEqualTo(SenseReason.TARGET_PORT_IN_STANDBY_STATE);
        assertThat(c.target(A).lun(0).online()).isTrue(); // the group's own targets are the cluster's to move
    }

    @Test
    void withEveryGroupedTargetNamedATargetOutsideTheGroupsStaysLocal() throws Exception {
        TargetCatalog c = catalog(A, LATER);
        List<ResourceGroup> groups = List.of(new ResourceGroup("db", "s1", List.of("r0"), List.of(A), List.of()));
        assertThat(TargetGroupResources.standbyUnclaimed(c, groups)).isEmpty();
        assertThat(c.target(LATER).lun(0).online()).isTrue();
    }
}
