package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libiscsi's conformance suite ({@link LibiscsiConformance}) against a 1 GiB fileio LUN, two paths. Guards what
 * issue 2 measured: no failures but the one libiscsi 1.19 test that fails on Linux tgt the same way.
 */
class ConformanceE2ETest {
    /** Fails identically against tgt: the test asserts before its TMF callback can have run. */
    private static final Set<String> KNOWN_TEST_DEFECTS = Set.of("ALL.iSCSITMF.LUNResetSimpleAsync");

    @TempDir
    Path dir;

    @Test
    void conformanceSuitePasses() throws Exception {
        assumeTrue(Tools.has("iscsi-test-cu"), "iscsi-test-cu not installed: skipping the conformance suite");
        try (TargetFixture t = TargetFixture.start(dir, "Target " + TargetFixture.TARGET
                + "\n    Lun 0 Path=big.img,Type=fileio,IOMode=wb\n", "big.img")) {
            try (var raf = new java.io.RandomAccessFile(dir.resolve("big.img").toFile(), "rw")) {
                raf.setLength(1L << 30);
            }
            List<LibiscsiConformance.Outcome> outcomes = LibiscsiConformance.run(t.url(0), t.url(0),
                    dir.resolve("conformance"));
            outcomes.forEach(o -> System.out.println(o.verdict() + "\t" + o.test() + "\t" + o.why()));
            Map<LibiscsiConformance.Verdict, Long> counts = outcomes.stream()
                    .collect(Collectors.groupingBy(LibiscsiConformance.Outcome::verdict, Collectors.counting()));
            System.out.printf("conformance: %d passed, %d failed, %d skipped%n",
                    counts.getOrDefault(LibiscsiConformance.Verdict.PASS, 0L),
                    counts.getOrDefault(LibiscsiConformance.Verdict.FAIL, 0L),
                    counts.getOrDefault(LibiscsiConformance.Verdict.SKIP, 0L));
            assertThat(outcomes).as("tests listed by iscsi-test-cu -l").hasSizeGreaterThan(200);
            List<String> failures = outcomes.stream().filter(o -> o.verdict() == LibiscsiConformance.Verdict.FAIL)
                    .map(LibiscsiConformance.Outcome::test).filter(n -> !KNOWN_TEST_DEFECTS.contains(n)).toList();
            assertThat(failures).as("conformance failures").isEmpty();
            assertThat(counts.getOrDefault(LibiscsiConformance.Verdict.PASS, 0L)).as("tests passed")
                    .isGreaterThanOrEqualTo(160);
        }
    }
}
