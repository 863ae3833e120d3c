/** The storage interface every LUN backend implements, and the factory that opens one from a LUN's settings. */
package org.tandem.lun.spi;
