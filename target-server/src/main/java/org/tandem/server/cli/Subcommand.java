package org.tandem.server.cli;

import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** A tandemctl subcommand: its parent holds the global options, the client and the output. */
abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    TandemCtl top;

    /** The admin endpoint's path of a target, its name encoded as one path segment. */
    static String t(String target) {
        return "/targets/" + AdminClient.encode(target);
    }
}
