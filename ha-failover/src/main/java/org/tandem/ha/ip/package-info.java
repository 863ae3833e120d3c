/**
 * The floating portal addresses: added and removed with ip(8), announced with gratuitous ARP (arping), and the
 * tickle that makes initiators reset the connections they had to the peer.
 */
package org.tandem.ha.ip;
