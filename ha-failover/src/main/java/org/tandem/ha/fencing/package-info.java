/** Fencing: making sure the peer is off before its resources are taken, by the operator's fencing command. */
package org.tandem.ha.fencing;
