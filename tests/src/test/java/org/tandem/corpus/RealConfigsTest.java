package org.tandem.corpus;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.HaConfigException;
import org.tandem.ha.config.HaResourcesParser;
import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.config.ThisNode;
import org.tandem.ha.config.RouteTable;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.negotiation.IscsiKey;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every case of the corpus of real configuration files (tests/src/test/resources/real-configs: IET's shipped files
 * and man-page examples, Heartbeat's samples, how-to setups) loads with the meaning IET and Heartbeat give it, or is
 * refused with a message naming file, line and fix: each case's expected.txt says which, and which facts hold.
 */
class RealConfigsTest {
    private static final Path CORPUS = Path.of("src/test/resources/real-configs");

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyCaseHasTheOutcomeItsFileStates() throws IOException {
        List<Path> cases = cases();
        return cases.stream().map(dir -> DynamicTest.dynamicTest(CORPUS.relativize(dir).toString(),
                () -> check(dir)));
    }

    @Test
    void theCorpusCoversEveryFamily() throws IOException {
        List<Path> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        for (String family : List.of("iet-0.4", "iet-1.4.19", "iet-1.4.20", "heartbeat", "howto")) {
            assertThat(cases).as("cases of " + family).anyMatch(c -> CORPUS.relativize(c).startsWith(family));
        }
    }

    private static List<Path> cases() throws IOException {
        try (Stream<Path> all = Files.walk(CORPUS)) {
            return all.filter(p -> p.getFileName().toString().equals("expected.txt")).map(Path::getParent).sorted()
                    .toList();
        }
    }

    /** What loading a case gave: the error, or the parsed files (those of the kind the case holds). */
    private record Loaded(String error, List<String> warnings, TandemConfig iet, HaConfig cluster, AuthKeys keys,
                          List<ResourceGroup> groups) {
    }

    private void check(Path source) throws Exception {
        Expectation expected = Expectation.read(source.resolve("expected.txt"));
        Path dir = copy(source, temp.resolve(source.getFileName().toString()));
        for (Expectation.Fact f : expected.facts()) {
            if (f.keyword().equals("file")) {
                try (RandomAccessFile file = new RandomAccessFile(dir.resolve(f.arg(0)).toFile(), "rw")) {
                    file.setLength(size(f.arg(1)));
                }
            }
        }
        StringBuilder routes = new StringBuilder();
        expected.facts().stream().filter(f -> f.keyword().equals("route")).forEach(f -> routes.append(f.rest())
                .append('\n'));
        Loaded loaded = load(dir, RouteTable.parse(routes.toString()));
        String what = CORPUS.relativize(source) + " (" + expected.source() + ")";
        // One line per case in the test's output: what a user of these files would read.
        System.out.println("corpus " + CORPUS.relativize(source) + ": " + (loaded.error() == null ? "runs"
                : "refused: " + loaded.error().replace(dir + "/", "")) + (loaded.warnings().isEmpty() ? ""
                : " | warnings: " + String.join(" / ", loaded.warnings()).replace(dir + "/", "")));
        if (expected.runs()) {
            assertThat(loaded.error()).as(what + " must load").isNull();
        } else {
            assertThat(loaded.error()).as(what + " must be refused").isNotNull();
        }
        new FactChecker(what, dir, loaded).checkAll(expected.facts());
    }

    private Loaded load(Path dir, RouteTable routes) throws IOException {
        try (LogCapture log = new LogCapture()) {
            TandemConfig iet = null;
            HaConfig cluster = null;
            AuthKeys keys = null;
            List<ResourceGroup> groups = null;
            try {
                if (Files.exists(dir.resolve("ietd.conf"))) {
                    iet = IetdConfParser.read(dir.resolve("ietd.conf"));
                }
                Path ha = dir.resolve("ha.d");
                if (Files.isDirectory(ha)) {
                    cluster = HaCfParser.read(ha.resolve("ha.cf"));
                    if (Files.exists(ha.resolve("authkeys"))) {
                        Files.setPosixFilePermissions(ha.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
                        keys = AuthKeys.read(ha.resolve("authkeys"));
                    }
                    if (Files.exists(ha.resolve("haresources"))) {
                        ThisNode node = iet == null ? new ThisNode(routes, List.of(), false)
                                : new ThisNode(routes, iet.targets().stream().map(TargetConfig::name).toList());
                        groups = HaResourcesParser.read(ha.resolve("haresources"), cluster, node);
                    }
                }
                return new Loaded(null, log.warnings(), iet, cluster, keys, groups);
            } catch (ConfigException | HaConfigException e) {
                return new Loaded(e.getMessage(), log.warnings(), iet, cluster, keys, groups);
            }
        }
    }

    /** Checks the facts in order; {@code target} and {@code group} facts set what the following facts are about. */
    private static final class FactChecker {
        private final String what;
        private final Path dir;
        private final Loaded loaded;
        private TargetConfig target;
        private ResourceGroup group;

        FactChecker(String what, Path dir, Loaded loaded) {
            this.what = what;
            this.dir = dir;
            this.loaded = loaded;
        }

        void checkAll(List<Expectation.Fact> facts) throws Exception {
            for (Expectation.Fact f : facts) {
                check(f);
            }
        }

        private String as(Expectation.Fact f) {
            return what + ", expected.txt:" + f.line() + " '" + f.keyword() + " " + f.rest() + "'";
        }

        private void check(Expectation.Fact f) throws Exception {
            switch (f.keyword()) {
                case "file", "route" -> { } // made before loading
                case "error" -> error(f);
                case "warning" -> assertThat(loaded.warnings()).as(as(f) + "; warnings were " + loaded.warnings())
                        .anyMatch(w -> w.contains(f.rest()));
                default -> {
                    if (loaded.error() != null) {
                        fail(as(f) + ": a fact about a loaded configuration, but loading failed: " + loaded.error());
                    }
                    if (!ietFact(f) && !clusterFact(f)) {
                        fail(as(f) + ": unknown fact keyword");
                    }
                }
            }
        }

        private void error(Expectation.Fact f) {
            String where = f.arg(0);
            String substring = f.rest().substring(where.length()).strip();
            String message = loaded.error();
            assertThat(message).as(as(f)).isNotNull();
            String file = where.contains(":") ? where.substring(0, where.indexOf(':')) : where;
            String located = dir.resolve(file) + (where.contains(":") ? where.substring(where.indexOf(':')) + ":" : "");
            assertThat(message).as(as(f)).contains(located).contains(substring);
        }

        private boolean ietFact(Expectation.Fact f) throws Exception {
            TandemConfig c = loaded.iet();
            switch (f.keyword()) {
                case "targets" -> {
                    if (!f.arg(0).matches("\\d+")) {
                        return false; // a group's target list
                    }
                    assertThat(ietd(f).targets()).as(as(f)).hasSize(Integer.parseInt(f.arg(0)));
                }
                case "target" -> {
                    target = ietd(f).target(f.arg(0));
                    assertThat(target).as(as(f) + ": no such target among "
                            + ietd(f).targets().stream().map(TargetConfig::name).toList()).isNotNull();
                }
                case "lun" -> lun(f);
                case "setting" -> setting(f);
                case "incoming" -> assertThat(target == null ? ietd(f).discoveryIncoming() : target.incoming())
                        .as(as(f)).extracting(ChapAccount::name).contains(f.arg(0));
                case "outgoing" -> {
                    ChapAccount out = target == null ? ietd(f).discoveryOutgoing() : target.outgoing();
                    assertThat(out).as(as(f)).isNotNull();
                    assertThat(out.name()).as(as(f)).isEqualTo(f.arg(0));
                }
                case "no-chap" -> assertThat(target == null ? ietd(f).discoveryIncoming() : target.incoming())
                        .as(as(f)).isEmpty();
                case "alias" -> assertThat(inTarget(f).alias()).as(as(f)).isEqualTo(f.rest());
                case "access" -> {
                    String t = f.arg(0).equals("-") ? null : f.arg(0);
                    boolean allowed = Access.allows(c, t, InetAddress.getByName(f.arg(2)), f.arg(1));
                    assertThat(allowed ? "allowed" : "refused").as(as(f)).isEqualTo(f.arg(3));
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private TandemConfig ietd(Expectation.Fact f) {
            assertThat(loaded.iet()).as(as(f) + ": the case has no ietd.conf").isNotNull();
            return loaded.iet();
        }

        private TargetConfig inTarget(Expectation.Fact f) {
            assertThat(target).as(as(f) + ": needs a 'target NAME' line before it").isNotNull();
            return target;
        }

        private void lun(Expectation.Fact f) {
            LunConfig lun = inTarget(f).lun(Integer.parseInt(f.arg(0)));
            assertThat(lun).as(as(f) + ": no such LUN").isNotNull();
            assertThat(lun.store().type().name().toLowerCase(Locale.ROOT)).as(as(f)).isEqualTo(f.arg(1));
            for (String option : f.args().subList(2, f.args().size())) {
                String[] kv = option.split("=", 2);
                Object actual = switch (kv[0]) {
                    case "blocks" -> String.valueOf(lun.store().blocks());
                    case "blocksize" -> String.valueOf(lun.store().blockSize());
                    case "mode" -> lun.store().ioMode().name().toLowerCase(Locale.ROOT);
                    case "scsiid" -> lun.scsiId();
                    case "scsisn" -> lun.scsiSn();
                    default -> throw new IllegalArgumentException(as(f) + ": unknown lun option " + kv[0]);
                };
                assertThat(actual).as(as(f) + " " + kv[0]).isEqualTo(kv[1]);
            }
        }

        private void setting(Expectation.Fact f) {
            IscsiKey s = IscsiKey.byDirective(f.arg(0));
            assertThat(s).as(as(f) + ": no such setting").isNotNull();
            String actual = switch (s.directive().orElseThrow().kind()) {
                case NUMBER -> String.valueOf(inTarget(f).settings().number(s));
                case BOOLEAN -> inTarget(f).settings().flag(s) ? "Yes" : "No";
                case DIGEST -> inTarget(f).settings().digest(s);
            };
            assertThat(actual).as(as(f)).isEqualTo(f.arg(1));
        }

        private boolean clusterFact(Expectation.Fact f) {
            switch (f.keyword()) {
                case "nodes" -> assertThat(cluster(f).nodes()).as(as(f)).containsExactlyElementsOf(f.args());
                case "link" -> assertThat(cluster(f).links()).as(as(f)).extracting(HeartbeatLink::toString)
                        .contains(f.rest());
                case "links" -> assertThat(cluster(f).links()).as(as(f)).hasSize(Integer.parseInt(f.arg(0)));
                case "keepalive" -> assertThat(cluster(f).keepalive().toMillis()).as(as(f))
                        .isEqualTo(Long.parseLong(f.arg(0)));
                case "warntime" -> assertThat(cluster(f).warntime().toMillis()).as(as(f))
                        .isEqualTo(Long.parseLong(f.arg(0)));
                case "deadtime" -> assertThat(cluster(f).deadtime().toMillis()).as(as(f))
                        .isEqualTo(Long.parseLong(f.arg(0)));
                case "initdead" -> assertThat(cluster(f).initdead().toMillis()).as(as(f))
                        .isEqualTo(Long.parseLong(f.arg(0)));
                case "auto_failback" -> assertThat(cluster(f).autoFailback() ? "on" : "off").as(as(f))
                        .isEqualTo(f.arg(0));
                case "ping" -> assertThat(cluster(f).pingNodes()).as(as(f)).contains(f.arg(0));
                case "auth" -> {
                    assertThat(loaded.keys()).as(as(f) + ": the case has no authkeys").isNotNull();
                    assertThat(loaded.keys().active().index()).as(as(f)).isEqualTo(Integer.parseInt(f.arg(0)));
                    assertThat(loaded.keys().active().algorithm()).as(as(f))
                            .isEqualToIgnoringCase("Hmac" + f.arg(1));
                }
                case "group" -> {
                    assertThat(loaded.groups()).as(as(f) + ": the case has no haresources").isNotNull();
                    group = loaded.groups().stream().filter(g -> g.name().equals(f.arg(0))).findFirst().orElse(null);
                    assertThat(group).as(as(f) + ": no such group among "
                            + loaded.groups().stream().map(ResourceGroup::name).toList()).isNotNull();
                    if (f.args().size() > 1) {
                        assertThat(f.arg(1)).as(as(f)).isEqualTo("preferred");
                        assertThat(group.preferredNode()).as(as(f)).isEqualTo(f.arg(2));
                    }
                }
                case "drbd" -> assertThat(inGroup(f).drbdResources()).as(as(f))
                        .containsExactly(f.arg(0).split(","));
                case "targets" -> assertThat(inGroup(f).targets()).as(as(f))
                        .containsExactlyInAnyOrder(f.arg(0).split(","));
                case "lvm" -> assertThat(inGroup(f).volumeGroups()).as(as(f)).contains(f.arg(0));
                case "address" -> assertThat(inGroup(f).addresses()).as(as(f))
                        .extracting(a -> a.address() + "/" + a.prefix() + "/" + a.iface()).contains(f.arg(0));
                default -> {
                    return false;
                }
            }
            return true;
        }

        private HaConfig cluster(Expectation.Fact f) {
            assertThat(loaded.cluster()).as(as(f) + ": the case has no ha.d/ha.cf").isNotNull();
            return loaded.cluster();
        }

        private ResourceGroup inGroup(Expectation.Fact f) {
            assertThat(group).as(as(f) + ": needs a 'group NAME' line before it").isNotNull();
            return group;
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    private static long size(String text) {
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        long scale = switch (unit) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1;
        };
        return Long.parseLong(scale == 1 ? text : text.substring(0, text.length() - 1)) * scale;
    }
}
