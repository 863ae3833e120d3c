package org.tandem.server.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.server.session.CommandSequence.Arrival.HELD;
import static org.tandem.server.session.CommandSequence.Arrival.IGNORED;
import static org.tandem.server.session.CommandSequence.Arrival.IN_ORDER;

/** CmdSN bookkeeping of RFC 7143 section 3.2.2.1 with RFC 1982 serial arithmetic, wrap-around included. */
class CommandSequenceTest {

    @Test
    void serialLessFollowsRfc1982() {
        assertThat(CommandSequence.serialLess(0, 1)).isTrue();
        assertThat(CommandSequence.serialLess(1, 0)).isFalse();
        assertThat(CommandSequence.serialLess(5, 5)).isFalse();
        assertThat(CommandSequence.serialLess(0xffffffff, 0)).as("2^32 - 1 < 0 after the wrap").isTrue();
        assertThat(CommandSequence.serialLess(0, 0xffffffff)).isFalse();
        assertThat(CommandSequence.serialLess(0x7fffffff, 0x80000000)).isTrue();
        // 2^31 apart: undefined in RFC 1982, neither is less.
        assertThat(CommandSequence.serialLess(0, 0x80000000)).isFalse();
        assertThat(CommandSequence.serialLess(0x80000000, 0)).isFalse();
    }

    @Test
    void inOrderArrivalsAreDeliveredAtOnce() {
        CommandSequence<String> s = new CommandSequence<>(10);
        List<String> out = new ArrayList<>();
        assertThat(s.arrive(10, "a", 41, out)).isEqualTo(IN_ORDER);
        assertThat(s.arrive(11, "b", 41, out)).isEqualTo(IN_ORDER);
        assertThat(out).containsExactly("a", "b");
        assertThat(s.expCmdSn()).isEqualTo(12);
        assertThat(s.aheadCount()).isZero();
    }

    @Test
    void aGapHoldsLaterArrivalsUntilItFillsThenAllGoInOrder() {
        CommandSequence<String> s = new CommandSequence<>(100);
        List<String> out = new ArrayList<>();
        assertThat(s.arrive(103, "d", 131, out)).isEqualTo(HELD);
        assertThat(s.arrive(101, "b", 131, out)).isEqualTo(HELD);
        assertThat(s.arrive(102, "c", 131, out)).isEqualTo(HELD);
        assertThat(out).as("nothing passes the gap at 100").isEmpty();
        assertThat(s.expCmdSn()).isEqualTo(100);
        assertThat(s.aheadCount()).isEqualTo(3);

        assertThat(s.arrive(100, "a", 131, out)).isEqualTo(IN_ORDER);
        assertThat(out).containsExactly("a", "b", "c", "d");
        assertThat(s.expCmdSn()).isEqualTo(104);
        assertThat(s.aheadCount()).isZero();
    }

    @Test
    void aSecondGapStopsDeliveryAgain() {
        CommandSequence<String> s = new CommandSequence<>(1);
        List<String> out = new ArrayList<>();
        s.arrive(2, "b", 32, out);
        s.arrive(4, "d", 32, out);
        s.arrive(1, "a", 32, out);
        assertThat(out).containsExactly("a", "b");
        assertThat(s.expCmdSn()).isEqualTo(3);
        s.arrive(3, "c", 32, out);
        assertThat(out).containsExactly("a", "b", "c", "d");
        assertThat(s.expCmdSn()).isEqualTo(5);
    }

    @Test
    void outsideTheWindowAndDuplicatesAreIgnored() {
        CommandSequence<String> s = new CommandSequence<>(50);
        List<String> out = new ArrayList<>();
        assertThat(s.arrive(49, "old", 81, out)).as("below ExpCmdSN").isEqualTo(IGNORED);
        assertThat(s.arrive(82, "far", 81, out)).as("beyond MaxCmdSN").isEqualTo(IGNORED);
        assertThat(s.arrive(81, "top", 81, out)).as("MaxCmdSN itself is in the window").isEqualTo(HELD);
        assertThat(s.arrive(81, "again", 81, out)).as("duplicate while held").isEqualTo(IGNORED);
        assertThat(s.arrive(50, "first", 81, out)).isEqualTo(IN_ORDER);
        assertThat(s.arrive(50, "again", 81, out)).as("duplicate once passed").isEqualTo(IGNORED);
        assertThat(out).containsExactly("first");
        assertThat(s.admissible(51, 81)).isTrue();
        assertThat(s.admissible(81, 81)).isFalse();
    }

    @Test
    void numbersWrapFromTheTopToZero() {
        int top = 0xffffffff;
        CommandSequence<String> s = new CommandSequence<>(top - 1);
        List<String> out = new ArrayList<>();
        int max = top - 1 + 31; // 29 after the wrap
        assertThat(s.inWindow(0, max)).isTrue();
        assertThat(s.inWindow(29, max)).isTrue();
        assertThat(s.inWindow(30, max)).isFalse();
        assertThat(s.inWindow(top - 2, max)).isFalse();
        assertThat(s.arrive(1, "d", max, out)).isEqualTo(HELD);
        assertThat(s.arrive(0, "c", max, out)).isEqualTo(HELD);
        assertThat(s.arrive(top, "b", max, out)).isEqualTo(HELD);
        assertThat(s.arrive(top - 1, "a", max, out)).isEqualTo(IN_ORDER);
        assertThat(out).containsExactly("a", "b", "c", "d");
        assertThat(s.expCmdSn()).isEqualTo(2);
        assertThat(s.arrive(top, "late", max, out)).as("below ExpCmdSN across the wrap").isEqualTo(IGNORED);
    }

    @Test
    void aCmdSnCanArriveWithNothingToDeliver() {
        CommandSequence<String> s = new CommandSequence<>(7);
        List<String> out = new ArrayList<>();
        s.arrive(8, "b", 38, out);
        assertThat(s.arrive(7, null, 38, out)).isEqualTo(IN_ORDER);
        assertThat(out).containsExactly("b");
        assertThat(s.expCmdSn()).isEqualTo(9);
        assertThat(s.arrive(7, "late", 38, out)).as("the command considered received arrives late").isEqualTo(IGNORED);

        assertThat(s.arrive(10, null, 38, out)).isEqualTo(HELD);
        assertThat(s.arrive(10, "late", 38, out)).as("still a duplicate while ahead").isEqualTo(IGNORED);
        s.arrive(9, "c", 38, out);
        assertThat(out).containsExactly("b", "c");
        assertThat(s.expCmdSn()).isEqualTo(11);
    }

    @Test
    void removedHeldPdusLeaveTheirNumbersReceived() {
        CommandSequence<String> s = new CommandSequence<>(0);
        List<String> out = new ArrayList<>();
        s.arrive(1, "conn-b:1", 31, out);
        s.arrive(2, "conn-a:2", 31, out);
        s.arrive(3, "conn-b:3", 31, out);
        assertThat(s.removeHeld(p -> p.startsWith("conn-b"))).containsExactlyInAnyOrder("conn-b:1", "conn-b:3");
        assertThat(s.removeHeld(p -> p.startsWith("conn-b"))).isEmpty();
        assertThat(s.arrive(3, "again", 31, out)).isEqualTo(IGNORED);
        s.arrive(0, "conn-a:0", 31, out);
        assertThat(out).containsExactly("conn-a:0", "conn-a:2");
        assertThat(s.expCmdSn()).isEqualTo(4);
    }
}
