/**
 * The cluster brain (issue 4): heartbeat, membership, fencing, floating portal address and LUN ownership. It
 * will drive the target through a small control interface only, so the target runs fine without it.
 */
package org.tandem.ha;
