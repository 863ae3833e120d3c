package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;
import org.tandem.iscsi.text.IncomingText;
import org.tandem.iscsi.text.OutgoingText;
import org.tandem.iscsi.text.TextFormatException;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.iscsi.text.TextTooLongException;
import org.tandem.server.session.SendTargets;
import org.tandem.server.session.TargetCatalog;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Text Requests in full feature phase (RFC 7143 sections 11.10 and 11.11): SendTargets (Appendix C) is answered;
 * any other key, a renegotiation Tandem does not support, is answered "Reject" key by key. Texts in both
 * directions may span PDUs (C bit): the request's parts are joined by {@link IncomingText}; an answer longer than
 * the initiator's MaxRecvDataSegmentLength goes out in parts with a Target Transfer Tag the initiator quotes in an
 * empty request for the next one. Used on the connection's event loop.
 */
final class TextExchange {
    private static final int RESERVED = Bhs.RESERVED_TAG;

    private final ConnectionContext connection;
    private final TargetCatalog catalog;
    private final RejectSender rejects;
    /** A Text Request's text may span PDUs (C bit); more than its limit is refused. */
    private final IncomingText incoming = new IncomingText(IncomingText.DEFAULT_LIMIT);
    /** A Text Response too long for the initiator's MaxRecvDataSegmentLength, sent as the initiator asks. */
    private OutgoingText pendingAnswer;
    private int pendingAnswerTag = RESERVED;
    private int pendingAnswerTask = RESERVED;

    TextExchange(ConnectionContext connection, TargetCatalog catalog, RejectSender rejects) {
        this.connection = connection;
        this.catalog = catalog;
        this.rejects = rejects;
    }

    /** Acts on a Text Request whose turn has come; does not release it. */
    void text(TextRequest t) {
        if (pendingAnswer != null) {
            if (t.targetTransferTag() == pendingAnswerTag && t.initiatorTaskTag() == pendingAnswerTask) {
                if (t.data().isReadable() || t.continueFlag()) {
                    dropPendingAnswer();
                    rejects.reject(t, RejectReason.PROTOCOL_ERROR, "text in a request that continues a Text Response");
                    return;
                }
                sendAnswerSegment(t);
                return;
            }
            // RFC 7143 section 11.10.4: a request without our tag starts over; the rest of the old answer is dropped.
            dropPendingAnswer();
        }
        TextParameters keys;
        try {
            if (t.continueFlag()) {
                incoming.append(t.data());
                connection.ctx().writeAndFlush(new TextResponse(false, false, t.logicalUnitNumber(),
                        t.initiatorTaskTag(), connection.nextTargetTransferTag(), connection.nextStatSn(),
                        connection.window().expCmdSn(), connection.window().maxCmdSn(), Unpooled.EMPTY_BUFFER));
                return;
            }
            keys = incoming.complete(t.data());
        } catch (TextTooLongException e) {
            rejects.reject(t, RejectReason.PROTOCOL_ERROR, "text request longer than " + e.limit());
            connection.ctx().close();
            return;
        } catch (TextFormatException e) {
            rejects.reject(t, RejectReason.PROTOCOL_ERROR, e.getMessage());
            return;
        }
        List<Map.Entry<String, String>> answer = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> e : keys.pairs()) {
            if (!seen.add(e.getKey())) {
                // RFC 7143 section 6.2: a key may not be declared twice. Answering each copy of SendTargets
                // would let a 64 KiB request pin tens of MiB of answer on the target.
                rejects.reject(t, RejectReason.PROTOCOL_ERROR, "key " + e.getKey() + " repeated in one Text Request");
                return;
            }
            if (e.getKey().equals("SendTargets")) {
                answer.addAll(SendTargets.answer(e.getValue(), connection.session(), catalog,
                        (InetSocketAddress) connection.ctx().channel().localAddress(),
                        (InetSocketAddress) connection.ctx().channel().remoteAddress()));
            } else {
                // Full feature phase renegotiation of login keys is not supported: say so per key.
                answer.add(Map.entry(e.getKey(), "Reject"));
            }
        }
        pendingAnswer = new OutgoingText(TextParameters.of(answer).encode(),
                connection.parameters().maxXmitDataSegmentLength());
        pendingAnswerTask = t.initiatorTaskTag();
        sendAnswerSegment(t);
    }

    /** Frees what a closed connection still holds of a text either way. */
    void close() {
        incoming.close();
        dropPendingAnswer();
    }

    /**
     * Sends the next Text Response of the pending answer (RFC 7143 section 11.11): C=1, F=0 and a Target Transfer
     * Tag for the initiator to quote while text remains; F=1 and the reserved tag on the last one.
     */
    private void sendAnswerSegment(TextRequest t) {
        ByteBuf segment = pendingAnswer.next();
        boolean more = pendingAnswer.hasMore();
        int tag = RESERVED;
        if (more) {
            tag = connection.nextTargetTransferTag();
            pendingAnswerTag = tag;
        } else {
            dropPendingAnswer();
        }
        connection.ctx().writeAndFlush(new TextResponse(!more, more, t.logicalUnitNumber(), t.initiatorTaskTag(),
                tag, connection.nextStatSn(), connection.window().expCmdSn(), connection.window().maxCmdSn(),
                segment));
    }

    private void dropPendingAnswer() {
        if (pendingAnswer != null) {
            pendingAnswer.close();
            pendingAnswer = null;
            pendingAnswerTag = RESERVED;
            pendingAnswerTask = RESERVED;
        }
    }
}
