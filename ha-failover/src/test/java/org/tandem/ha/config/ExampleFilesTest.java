package org.tandem.ha.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commented examples in etc/ha.d are what the README tells operators to copy: they must parse. */
class ExampleFilesTest {
    private static final Path DIR = Path.of("..", "etc", "ha.d");

    @Test
    void theExampleClusterFilesParseAndSayWhatTheCommentsSay() throws Exception {
        HaConfig config = HaCfParser.parse(DIR.resolve("ha.cf"), Files.readAllLines(DIR.resolve("ha.cf")));
        assertThat(config.nodes()).containsExactly("storage1", "storage2");
        assertThat(config.keepalive()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.deadtime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.links()).hasSize(4);
        assertThat(config.fencing().configured()).isTrue();
        assertThat(config.fenceDelay("storage2")).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.pingNodes()).containsExactly("10.0.0.254");

        List<ResourceGroup> groups = HaResourcesParser.parse(DIR.resolve("haresources"),
                Files.readAllLines(DIR.resolve("haresources")), config);
        assertThat(groups).extracting(ResourceGroup::name).containsExactly("db", "web");
        assertThat(groups.get(0).drbdResources()).containsExactly("r0");
        assertThat(groups.get(1).targets()).containsExactly("iqn.2026-11.org.example:web");

        AuthKeys keys = AuthKeys.parse(DIR.resolve("authkeys"), Files.readAllLines(DIR.resolve("authkeys")));
        assertThat(keys.active().algorithm()).isEqualTo("HmacSHA256");
        assertThat(Files.isExecutable(DIR.resolve("fence-ipmi"))).isTrue();
    }
}
