package org.tandem.scsi.command;


import org.tandem.scsi.cdb.Cdb;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry of supported commands, looked up by opcode and, where the opcode has them, service action. */
public final class CommandTable {
    private final Map<Integer, CommandDescriptor> byKey = new HashMap<>();
    private final Set<Integer> opcodesWithServiceActions = new HashSet<>();
    private final List<CommandDescriptor> all = new ArrayList<>();

    public CommandTable(Collection<CommandDescriptor> descriptors) {
        for (CommandDescriptor d : descriptors) {
            if (d.serviceAction() >= 0) {
                opcodesWithServiceActions.add(d.opcode());
            }
        }
        for (CommandDescriptor d : descriptors) {
            if (byKey.put(key(d.opcode(), d.serviceAction()), d) != null) {
                throw new IllegalArgumentException("two descriptors for " + d.name());
            }
            all.add(d);
        }
    }

    private static int key(int opcode, int serviceAction) {
        return (opcode << 8) | (serviceAction & 0xff);
    }

    /** True when this opcode is split into service actions. */
    public boolean hasServiceActions(int opcode) {
        return opcodesWithServiceActions.contains(opcode);
    }

    /** The descriptor for a CDB, or null when the command is not supported. */
    public CommandDescriptor lookup(byte[] cdb) {
        int opcode = cdb[0] & 0xff;
        return lookup(opcode, hasServiceActions(opcode) ? Cdb.serviceAction(cdb) : -1);
    }

    public CommandDescriptor lookup(int opcode, int serviceAction) {
        return byKey.get(key(opcode, hasServiceActions(opcode) ? serviceAction : -1));
    }

    /** Every supported command, in registration order. */
    public List<CommandDescriptor> all() {
        return Collections.unmodifiableList(all);
    }
}
