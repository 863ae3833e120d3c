package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libiscsi's conformance suite (shared/tools/iscsi-conformance) against a 1 GiB fileio LUN, two paths. Guards
 * what issue 2 measured: no failures but the one libiscsi 1.19 test that fails on Linux tgt the same way.
 */
class ConformanceE2ETest {
    /** Fails identically against tgt: the test asserts before its TMF callback can have run. */
    private static final Set<String> KNOWN_TEST_DEFECTS = Set.of("ALL.iSCSITMF.LUNResetSimpleAsync");
    private static final Pattern SUMMARY = Pattern.compile("conformance: (\\d+) passed, (\\d+) failed, (\\d+) skipped");

    @TempDir
    Path dir;

    @Test
    void conformanceSuitePasses() throws Exception {
        Path tool = Tools.repositoryRoot().resolveSibling("shared/tools/iscsi-conformance");
        assumeTrue(Files.isExecutable(tool), "no " + tool + ": skipping the conformance suite");
        assumeTrue(Tools.has("iscsi-test-cu"), "iscsi-test-cu not installed: skipping the conformance suite");
        try (TargetFixture t = TargetFixture.start(dir, "Target " + TargetFixture.TARGET
                + "\n    Lun 0 Path=big.img,Type=fileio,IOMode=wb\n", "big.img")) {
            try (var raf = new java.io.RandomAccessFile(dir.resolve("big.img").toFile(), "rw")) {
                raf.setLength(1L << 30);
            }
            Tools.Result r = Tools.run(1500, List.of(tool.toString(), t.url(0), "--second", t.url(0),
                    "--out", dir.resolve("conformance").toString()));
            System.out.println(r.output());
            Matcher m = SUMMARY.matcher(r.output());
            assertThat(m.find()).as(r.output()).isTrue();
            List<String> failures = r.output().lines().filter(l -> l.startsWith("FAIL\t"))
                    .map(l -> l.split("\t")[1]).filter(n -> !KNOWN_TEST_DEFECTS.contains(n)).toList();
            assertThat(failures).as("conformance failures").isEmpty();
            assertThat(Integer.parseInt(m.group(1))).as("tests passed").isGreaterThanOrEqualTo(160);
        }
    }
}
