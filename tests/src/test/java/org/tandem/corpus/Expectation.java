package org.tandem.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A case's expected.txt (format: tests/src/test/resources/real-configs/README.md): where the files come from,
 * whether they must load or be refused, and the facts that must hold, in file order (a {@code target} or
 * {@code group} fact opens a context for the facts after it).
 */
record Expectation(String source, boolean runs, List<Fact> facts) {

    /** One fact line: its keyword, its words after the keyword, its line in expected.txt. */
    record Fact(String keyword, List<String> args, String rest, int line) {
        String arg(int i) {
            if (i >= args.size()) {
                throw new IllegalArgumentException("expected.txt:" + line + ": '" + keyword + "' needs "
                        + (i + 1) + " argument(s)");
            }
            return args.get(i);
        }
    }

    static Expectation read(Path file) throws IOException {
        String source = null;
        Boolean runs = null;
        List<Fact> facts = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+", 2);
            String rest = w.length > 1 ? w[1].strip() : "";
            switch (w[0]) {
                case "source:" -> source = rest;
                case "outcome" -> {
                    if (!rest.equals("runs") && !rest.equals("refused")) {
                        throw new IllegalArgumentException(file + ":" + n + ": outcome runs|refused, got " + rest);
                    }
                    runs = rest.equals("runs");
                }
                default -> facts.add(new Fact(w[0], rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")), rest,
                        n));
            }
        }
        if (source == null || source.isEmpty() || runs == null) {
            throw new IllegalArgumentException(file + ": needs a 'source:' line and an 'outcome runs|refused' line");
        }
        return new Expectation(source, runs, List.copyOf(facts));
    }
}
