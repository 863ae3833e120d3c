package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile use of Text Request / Text Response continuation (RFC 7143 sections 6.2, 11.10, 11.11) against the
 * real server, with Netty leak detection at PARANOID.
 */
class TextAttackE2ETest {
    private static final int TARGETS = 100;
    private static final String PREFIX = "iqn.2026-11.org.tandem.test:vm-disk-";

    @TempDir
    Path dir;

    /**
     * One Text Request of 64 KiB that repeats "SendTargets=All" 4096 times. RFC 7143 section 6.2: a key declared
     * more than once in a negotiation (SendTargets does not allow it) MUST be answered with a Reject (Protocol
     * Error). Answering every copy (as Tandem once did) makes the target build and hold, with 100 targets, an
     * answer hundreds of times larger than the request, for as long as the initiator does not ask for the rest.
     */
    @Test
    void repeatedSendTargetsIsRejectedNotAmplified() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, hundredTargets());
             TestInitiator d = new TestInitiator(t.port())) {
            login(d, "SessionType=Discovery\0", 262144);
            long single = answerBytes(d, 0x10, "SendTargets=All\0", 2);
            String request = "SendTargets=All\0".repeat(4096);
            d.send(new TextRequest(true, true, false, 0, 0x11, Bhs.RESERVED_TAG, 1, 0,
                    Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII)));
            Object first = d.receive();
            if (first instanceof Reject r) {
                r.release();
                return; // what RFC 7143 section 6.2 asks for
            }
            TextResponse r = (TextResponse) first;
            long total = r.data().readableBytes();
            int responses = 1;
            boolean more = r.continueFlag();
            int ttt = r.targetTransferTag();
            r.release();
            while (more && responses < 400) {
                d.send(new TextRequest(true, true, false, 0, 0x11, ttt, 1, 0, Unpooled.EMPTY_BUFFER));
                TextResponse next = (TextResponse) d.receive();
                responses++;
                total += next.data().readableBytes();
                more = next.continueFlag();
                ttt = next.targetTransferTag();
                next.release();
            }
            System.out.println("repeated SendTargets: request " + request.length() + " bytes, answer >= " + total
                    + " bytes in " + responses + " responses (one SendTargets=All answers " + single + " bytes)"
                    + (more ? ", still more to come" : ""));
            assertThat(total).as("answer to a 64 KiB request repeating one key (a single copy answers %d bytes)",
                    single).isLessThanOrEqualTo(4 * single);
        }
    }

    /**
     * Continuation abuse on one connection, then on others: asking with a wrong tag, with text, with the C bit,
     * interleaving a new request, never asking for the rest and closing. The server keeps serving (a ping is
     * answered) and no buffer leaks.
     */
    @Test
    void continuationAbuseLeavesNoLeakAndTheConnectionServing() throws Exception {
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.start(dir, hundredTargets())) {
            for (int round = 0; round < 5; round++) {
                try (TestInitiator d = new TestInitiator(t.port())) {
                    login(d, "SessionType=Discovery\0", 512);
                    TextResponse first = sendTargets(d, 0x20);
                    assertThat(first.continueFlag()).isTrue();
                    int tag = first.targetTransferTag();
                    first.release();
                    // wrong tag, same ITT: starts over with an empty request
                    d.send(new TextRequest(true, true, false, 0, 0x20, tag + 1000, 1, 0, Unpooled.EMPTY_BUFFER));
                    drainOne(d);
                    // right tag but with text
                    TextResponse again = sendTargets(d, 0x21);
                    d.send(new TextRequest(true, true, false, 0, 0x21, again.targetTransferTag(), 1, 0,
                            Unpooled.copiedBuffer("SendTargets=All\0", StandardCharsets.US_ASCII)));
                    again.release();
                    drainOne(d);
                    // right tag with the C bit and no text
                    TextResponse third = sendTargets(d, 0x22);
                    d.send(new TextRequest(true, false, true, 0, 0x22, third.targetTransferTag(), 1, 0,
                            Unpooled.EMPTY_BUFFER));
                    third.release();
                    drainOne(d);
                    // right tag, other ITT
                    TextResponse fourth = sendTargets(d, 0x23);
                    d.send(new TextRequest(true, true, false, 0, 0x99, fourth.targetTransferTag(), 1, 0,
                            Unpooled.EMPTY_BUFFER));
                    fourth.release();
                    drainOne(d);
                    // a started initiator continuation (C bit) abandoned for a fresh request
                    d.send(new TextRequest(true, false, true, 0, 0x24, Bhs.RESERVED_TAG, 1, 0,
                            Unpooled.copiedBuffer("SendTar", StandardCharsets.US_ASCII)));
                    drainOne(d);
                    NopIn pong = d.ping(0x30);
                    assertThat(pong).as("the connection still answers a ping after round %d", round).isNotNull();
                    // leave an answer pending and go
                    sendTargets(d, 0x25).release();
                }
            }
            try (TestInitiator d = new TestInitiator(t.port())) {
                login(d, "SessionType=Discovery\0", 262144);
                TextResponse whole = sendTargets(d, 0x40);
                assertThat(whole.continueFlag()).isFalse();
                whole.release();
            }
            List<String> reports = leaks.collect();
            assertThat(reports).isEmpty();
        }
    }

    /**
     * The memory side of the amplification: six discovery connections each send one 64 KiB Text Request repeating
     * SendTargets=All, take the first Text Response (512 bytes) and never ask for the rest. The target keeps each
     * whole encoded answer (OutgoingText, 33.5 MB with 100 targets) until the connection closes.
     */
    @Test
    void repeatedSendTargetsFromSixSessionsHoldNoHeap() throws Exception {
        List<TestInitiator> open = new java.util.ArrayList<>();
        try (TargetFixture t = TargetFixture.start(dir, hundredTargets())) {
            long before = Tools.usedHeap();
            for (int c = 0; c < 6; c++) {
                TestInitiator d = new TestInitiator(t.port());
                open.add(d);
                login(d, "SessionType=Discovery\0", 512, 0x400000000100L + c);
                d.send(new TextRequest(true, true, false, 0, 0x11, Bhs.RESERVED_TAG, 1, 0,
                        Unpooled.copiedBuffer("SendTargets=All\0".repeat(4096), StandardCharsets.US_ASCII)));
                Object first = d.receive();
                ((IscsiPdu) first).release();
                // Refused as a whole (RFC 7143 section 6.2): nothing is answered, so nothing is held.
                assertThat(first).as("connection %d", c).isInstanceOf(Reject.class);
                System.out.printf("connection %d: heap %+d%n", c, Tools.usedHeap() - before);
            }
            long growth = Tools.usedHeap() - before;
            System.out.printf("six pending SendTargets answers hold %+d bytes of heap%n", growth);
            assertThat(growth).as("heap held by six connections that each sent one 64 KiB Text Request")
                    .isLessThan(16L * 1024 * 1024);
        } finally {
            for (TestInitiator d : open) {
                d.close();
            }
        }
    }


    private static void drainOne(TestInitiator d) throws Exception {
        Object o = d.receiveWithin(1000);
        if (o instanceof IscsiPdu p) {
            p.release();
        }
    }

    private static TextResponse sendTargets(TestInitiator d, int itt) throws Exception {
        d.send(new TextRequest(true, true, false, 0, itt, Bhs.RESERVED_TAG, 1, 0,
                Unpooled.copiedBuffer("SendTargets=All\0", StandardCharsets.US_ASCII)));
        Object o = d.receive();
        assertThat(o).isInstanceOf(TextResponse.class);
        return (TextResponse) o;
    }

    private static long answerBytes(TestInitiator d, int itt, String text, int maxResponses) throws Exception {
        d.send(new TextRequest(true, true, false, 0, itt, Bhs.RESERVED_TAG, 1, 0,
                Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII)));
        TextResponse r = (TextResponse) d.receive();
        long n = r.data().readableBytes();
        assertThat(r.continueFlag()).isFalse();
        r.release();
        return n;
    }

    static void login(TestInitiator i, String sessionKeys, int maxRecv) throws Exception {
        login(i, sessionKeys, maxRecv, 0x400000000077L);
    }

    /** Logs in with this ISID: another session (the same ISID would reinstate, closing the one before). */
    static void login(TestInitiator i, String sessionKeys, int maxRecv, long isid) throws Exception {
        LoginResponse security = i.loginStep(true, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, 0, isid, 0,
                "InitiatorName=iqn.2026-11.org.tandem.test:attack\0" + sessionKeys + "AuthMethod=None\0");
        assertThat(security.statusClass()).isZero();
        LoginResponse operational = i.loginStep(true, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, 0, isid, 0, "MaxRecvDataSegmentLength=" + maxRecv + "\0");
        assertThat(operational.statusClass()).isZero();
    }

    static String hundredTargets() {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < TARGETS; i++) {
            c.append("Target ").append(PREFIX).append(i).append("\n    Lun 0 Type=nullio,Blocks=2048\n");
        }
        return c.toString();
    }
}
