/** Targets and sessions at run time: the catalog of configured targets with their logical units, the session
 * registry (TSIH allocation, reinstatement, MaxSessions), and each session's identity and agreed parameters. */
package org.tandem.server.session;
