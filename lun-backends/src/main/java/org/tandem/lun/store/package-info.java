/**
 * Opening stores: the factory that turns a LUN's settings into its backend (the one place that knows every
 * implementation), and the store a cluster LUN uses, which opens only while this node owns the device.
 */
package org.tandem.lun.store;
