package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import org.tandem.iscsi.pdu.IscsiPdu;

/** Builds one PDU type from its BHS (index 0), its AHS and its data segment, which the new PDU then owns. */
@FunctionalInterface
interface PduReader {
    IscsiPdu read(ByteBuf bhs, ByteBuf ahs, ByteBuf data);
}
