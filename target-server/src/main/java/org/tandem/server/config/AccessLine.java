package org.tandem.server.config;

import java.util.List;

/**
 * One rule line of an access file: {@code number} is its line in the file (0 for a line made by the admin endpoint),
 * {@code items} as parsed and {@code texts} as written, one for one.
 */
record AccessLine(int number, String target, List<AccessItem> items, List<String> texts) {
}
