/**
 * The floating portal addresses: added and removed with ip(8), announced with gratuitous ARP (arping); and this
 * node's routes, which place an address haresources gives without interface or prefix.
 */
package org.tandem.ha.ip;
