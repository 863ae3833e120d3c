/**
 * The launcher: {@link org.tandem.server.Tandemd} reads the configuration and wires the packages below into a
 * running daemon (with a cluster node under {@code --ha}); {@code tandemd --check} only reads and reports.
 */
package org.tandem.server;
