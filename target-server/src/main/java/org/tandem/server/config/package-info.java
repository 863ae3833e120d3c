/** Configuration as IET reads it: ietd.conf (global section, Target stanzas, Lun lines, per-target settings) and
 * the initiators.allow, targets.allow and (deprecated) initiators.deny access files. Every error names file, line
 * and what was expected. */
package org.tandem.server.config;
