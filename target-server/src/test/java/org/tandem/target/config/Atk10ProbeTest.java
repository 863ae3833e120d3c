package org.tandem.target.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;

class Atk10ProbeTest {
    @TempDir Path dir;
    static final String T = "Target iqn.2026-11.org.example:disk\n";

    String conf(String text) {
        try {
            Path f = dir.resolve("ietd.conf");
            Files.writeString(f, text);
            return IetdConfParser.read(f).targets().toString();
        } catch (Throwable e) { return "EXC " + e; }
    }

    @Test void probe() throws Exception {
        System.out.println("Q1 " + conf(T + " Lun 0 Path=/a\u0000b,Type=fileio\n"));
        System.out.println("Q2 " + conf(T + " Alias a\u0000b\n"));
        System.out.println("Q3 " + conf("Target iqn.2026-11.org.example:d\u0000isk\n"));
        System.out.println("Q4 " + conf(T + " IncomingUser jo\u0000e secretsecret12\n"));
        Files.createDirectories(dir.resolve("initiators.allow"));
        System.out.println("Q5 " + conf(T));
        Files.delete(dir.resolve("initiators.allow"));
        Files.createSymbolicLink(dir.resolve("initiators.allow"), dir.resolve("nowhere"));
        System.out.println("Q6 " + conf(T));
        Files.delete(dir.resolve("initiators.allow"));
        Files.writeString(dir.resolve("initiators.allow"), "iqn.2026-11.org.example:disk " + "(".repeat(20000) + "a" + ")".repeat(20000) + "\n");
        System.out.println("Q7 " + conf(T));
        Files.delete(dir.resolve("initiators.allow"));
        System.out.println("Q8 " + conf(T + " Lun 0 Path=" + "a/".repeat(100000) + "x,Type=fileio\n"));
        System.out.println("Q9 " + conf(T + " Lun 0 Type=nullio,Blocks=0x7fffffffffffffff,BlockSize=4096\n"));
        System.out.println("Q10 " + conf(T + " Lun 0 Type=nullio,Blocks=36028797018963967\n"));
        System.out.println("Q11 " + conf(T + " Lun 0 Path=/dev/null\\\n\n,Type=fileio\n"));
        System.out.println("Q12 " + conf(T + " HeaderDigest None,,CRC32C\n"));
        System.out.println("Q13 " + conf(T + " Lun 0 Type=nullio,ScsiSN=a\u00e9b\n"));
        System.out.println("Q14 " + conf("\uFEFF" + T));
        System.out.println("Q15 " + conf(T + " MaxConnections 2 # c \\\n"));
    }
}
