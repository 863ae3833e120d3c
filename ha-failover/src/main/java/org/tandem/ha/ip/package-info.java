/**
 * The floating portal addresses: added and removed with ip(8), announced with gratuitous ARP (arping).
 */
package org.tandem.ha.ip;
