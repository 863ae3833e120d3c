/** Backends on a path: a regular (possibly sparse) file, IET's Type=fileio, or a block device such as an LVM
 * logical volume, IET's Type=blockio. */
package org.tandem.lun.file;
