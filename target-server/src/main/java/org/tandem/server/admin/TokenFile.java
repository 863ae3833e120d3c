package org.tandem.server.admin;

import org.tandem.server.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The admin bearer token: 32 random bytes in hex, in a file created at first start with mode 0600 (atomically,
 * so it is never readable by others even for a moment). A token file that others can read is refused, as
 * Heartbeat refuses such an authkeys file.
 */
public final class TokenFile {
    private final byte[] token;

    private TokenFile(String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the token, creating the file with a new one if it does not exist. */
    public static TokenFile loadOrCreate(Path file) throws ConfigException {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String token = HexFormat.of().formatHex(random);
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
                    return new TokenFile(token);
                } catch (FileAlreadyExistsException e) {
                    // another process made it meanwhile: read theirs
                }
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                throw new ConfigException("admin token file " + file + " is readable by others (mode "
                        + PosixFilePermissions.toString(mode) + "); chmod 600 it");
            }
            return new TokenFile(read(file));
        } catch (IOException e) {
            throw new ConfigException("cannot use admin token file " + file + ": " + e, e);
        }
    }

    /** The token in a file, for clients (tandemctl). */
    public static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return token;
    }

    /** Compares in constant time, so response timing does not leak how much of a guess was right. */
    public boolean matches(String presented) {
        return presented != null
                && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }
}
