/**
 * The storage interface every LUN backend implements, and the values that describe a LUN's store. It imports
 * none of the implementations: {@code store} opens them.
 */
package org.tandem.lun.spi;
