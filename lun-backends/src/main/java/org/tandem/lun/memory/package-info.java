/** Stores without persistent data: the null store (IET's Type=nullio) and a memory store for tests. */
package org.tandem.lun.memory;
