package org.tandem.server.control;

import org.tandem.server.config.AccessRules;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.IetdConfWriter;
import org.tandem.server.config.TandemConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * ietd.conf and initiators.allow on disk: reads them (remembering the text, so a save keeps comments and order
 * and notices edits made meanwhile) and writes the running configuration back atomically. initiators.deny is read
 * with them but never written: it is deprecated, and the admin endpoint edits initiators.allow only.
 */
public final class ConfigFile {
    private final Path path;
    private List<String> ietdText;
    private AccessRules allowRules;

    /** The file's text was edited after Tandem read it; a save would overwrite that edit. */
    static final class ChangedOnDisk extends Exception {
        ChangedOnDisk(String message) {
            super(message, null, false, false);
        }
    }

    private ConfigFile(Path path) {
        this.path = path;
    }

    /** Wraps a file already parsed elsewhere ({@code config}): its text is read now. */
    public static ConfigFile of(TandemConfig config) {
        ConfigFile f = new ConfigFile(config.file());
        f.ietdText = lines(config.file());
        f.allowRules = config.initiatorsAllow();
        return f;
    }

    public Path path() {
        return path;
    }

    Path initiatorsAllow() {
        return path.toAbsolutePath().getParent().resolve("initiators.allow");
    }

    synchronized TandemConfig read() throws ConfigException {
        Pending p = readPending();
        accept(p);
        return p.config();
    }

    /** The files as read, not yet the source of what runs (a reload may still refuse them). */
    record Pending(List<String> text, TandemConfig config) {
    }

    /** Reads the files; until {@link #accept} a save still treats the text on disk as an edit not applied. */
    synchronized Pending readPending() throws ConfigException {
        List<String> text = lines(path);
        return new Pending(text, IetdConfParser.read(path));
    }

    /** What was read is now what runs: a save compares the file on disk with this text. */
    synchronized void accept(Pending read) {
        ietdText = read.text();
        allowRules = read.config().initiatorsAllow();
    }

    /** Writes {@code running} back; refuses (unless forced) when the file changed on disk since it was read. */
    synchronized void save(TandemConfig running, boolean force) throws IOException, ChangedOnDisk {
        List<String> onDisk = lines(path);
        if (!force && !onDisk.equals(ietdText)) {
            throw new ChangedOnDisk(path + " was edited since Tandem read it; reload it first, or force to"
                    + " overwrite the edit");
        }
        String text = IetdConfWriter.render(force ? onDisk : ietdText, running);
        write(path, text);
        ietdText = text.lines().toList();
        if (running.initiatorsAllow() != allowRules) {
            Path allow = initiatorsAllow();
            String rules = running.initiatorsAllow().render(lines(allow));
            write(allow, rules);
            allowRules = running.initiatorsAllow();
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Replaces a file atomically, keeping its permissions (ietd.conf holds CHAP secrets: new ones get 0600). A
     * symbolic link (ietd.conf kept on storage both nodes reach) stays a link: the file it points to is replaced.
     */
    private static void write(Path link, String text) throws IOException {
        Path target = Files.isSymbolicLink(link) ? link.toRealPath() : link;
        Path dir = target.toAbsolutePath().getParent();
        Set<PosixFilePermission> mode = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-------");
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
