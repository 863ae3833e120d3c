package org.tandem.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libiscsi's conformance suite ({@code iscsi-test-cu}, package libiscsi-bin) run one test at a time, so that a
 * test that hangs or crashes the tool costs only itself, and each test sorted into passed, skipped (the test
 * said [SKIPPED]: the LUN lacks the feature) or failed.
 */
final class LibiscsiConformance {
    /** One test's name ({@code ALL.Family.Test}), verdict and, when it did not pass, the line that says why. */
    record Outcome(String test, Verdict verdict, String why) {
    }

    enum Verdict { PASS, SKIP, FAIL }

    /** How long one test may run before it counts as failed, in seconds. */
    static final int TEST_SECONDS = 60;

    /** CUnit's summary row for tests: total, ran, passed, failed. */
    private static final Pattern TESTS_ROW = Pattern.compile("^\\s+tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)",
            Pattern.MULTILINE);

    private LibiscsiConformance() {
    }

    /** Every test of the ALL family, as {@code iscsi-test-cu -l} lists them (families and suites left out). */
    static List<String> tests() {
        Tools.Result list = Tools.run(60, "iscsi-test-cu", "-l");
        return list.output().lines().map(String::strip).filter(l -> l.startsWith("ALL."))
                .filter(l -> l.split("\\.").length == 3).toList();
    }

    /**
     * Runs every test against {@code url} (and {@code second}, another path to the same LUN, for the tests that
     * need two) with destructive and SANITIZE tests allowed; the LUN's data is lost.
     *
     * @param logs a directory for one log per test
     * @return one outcome per test, in the suite's order
     * @throws IOException when a log cannot be written
     */
    static List<Outcome> run(String url, String second, Path logs) throws IOException {
        Files.createDirectories(logs);
        List<Outcome> outcomes = new ArrayList<>();
        for (String test : tests()) {
            Tools.Result r = Tools.run(TEST_SECONDS, "iscsi-test-cu", "-d", "-S", "-n", "-t", test, url, second);
            Files.writeString(logs.resolve(test + ".log"), r.output());
            outcomes.add(judge(test, r));
        }
        return outcomes;
    }

    /** A test passed when CUnit ran exactly one test and it passed; it was skipped when it also said so. */
    static Outcome judge(String test, Tools.Result r) {
        if (r.exit() == -1) {
            return new Outcome(test, Verdict.FAIL, "timed out after " + TEST_SECONDS + " s");
        }
        Matcher row = TESTS_ROW.matcher(r.output());
        boolean passed = r.output().contains("Run Summary") && row.find() && row.group(1).equals("1")
                && row.group(2).equals("1") && row.group(3).equals("1") && row.group(4).equals("0");
        if (passed) {
            return r.output().lines().filter(l -> l.contains("[SKIPPED]")).findFirst()
                    .map(l -> new Outcome(test, Verdict.SKIP, l.replaceFirst("^.*\\[SKIPPED]\\s*", "")))
                    .orElse(new Outcome(test, Verdict.PASS, ""));
        }
        String why = r.output().lines().filter(l -> l.contains("[FAILED]") || l.contains("CU_ASSERT")
                        || l.contains("error") || l.contains("Failed")).findFirst()
                .orElse("exit " + r.exit() + ": " + r.output().lines().reduce((a, b) -> b).orElse(""));
        return new Outcome(test, Verdict.FAIL, why.strip());
    }
}
