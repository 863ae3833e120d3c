/** Block commands (SBC-4): READ CAPACITY, READ, WRITE, VERIFY, SYNCHRONIZE CACHE and their relatives. */
package org.tandem.scsi.sbc;
