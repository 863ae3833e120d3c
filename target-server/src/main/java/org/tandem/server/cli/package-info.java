/** tandemctl: the command line client of the admin REST endpoint (picocli), with tables for people and --json. */
package org.tandem.server.cli;
