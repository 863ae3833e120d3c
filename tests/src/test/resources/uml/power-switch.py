#!/usr/bin/python3
"""A network power switch for the User-Mode Linux test bed (see PowerSwitch.java), like the switched power
outlets classic Heartbeat pairs were fenced with.

Usage: power-switch.py ADDRESS PORT DIR. Listens on ADDRESS:PORT (the bed's bridge, inside its namespace). Each
connection sends one line and gets one line back:
  off NAME     kills the whole process group of guest NAME (SIGKILL: no flush, its page cache is lost) and
               answers OFF only once no process of that group is left, else ON (the caller must not take over)
  status NAME  ON or OFF
  hold NAME    from now on, refuse to switch NAME off (ERR): a switch that is unreachable or broken, as fencing
               must survive; release NAME ends that
  anything else: ERR and the reason
A guest's process group is the one of the pid in DIR/NAME.pid (UML's kernel process, a group leader: setsid).
Every request is logged on stdout with its answer and how long the power-off took.
"""
import os
import re
import signal
import socket
import sys
import time

address, port, pids = sys.argv[1], int(sys.argv[2]), sys.argv[3]
held = set()


def group(name):
    try:
        with open(os.path.join(pids, name + '.pid')) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def members(pgid):
    """Pids whose process group is pgid (read from /proc, so no zombie of the group is missed either)."""
    found = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    # the fifth field, after "pid (comm) state ppid"; comm may hold spaces and parentheses
                    if int(f.read().rpartition(')')[2].split()[2]) == pgid:
                        found.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return found


def power_off(pgid):
    deadline = time.monotonic() + 10
    while members(pgid) and time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.02)
    return 'ON' if members(pgid) else 'OFF'


def answer(line):
    words = line.split()
    if len(words) != 2 or not re.fullmatch(r'[a-z0-9][a-z0-9-]*', words[1]):
        return 'ERR usage: off NAME | status NAME | hold NAME | release NAME'
    op, name = words
    pgid = group(name)
    if pgid is None:
        return 'ERR no guest %s (no %s.pid)' % (name, name)
    if op == 'hold':
        held.add(name)
        return 'HELD'
    if op == 'release':
        held.discard(name)
        return 'RELEASED'
    if op == 'off':
        if name in held:
            return 'ERR outlet of %s does not answer (held by the test)' % name
        return power_off(pgid)
    if op == 'status':
        return 'ON' if members(pgid) else 'OFF'
    return 'ERR unknown operation %s' % op


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((address, port))
server.listen(8)
print('power switch listening on %s:%d' % (address, port), flush=True)
while True:
    conn, peer = server.accept()
    with conn:
        conn.settimeout(10)
        try:
            started = time.monotonic()
            request = conn.makefile().readline()
            reply = answer(request)
            print('%s: %s -> %s in %.3f s' % (peer[0], request.strip(), reply, time.monotonic() - started),
                  flush=True)
            conn.sendall((reply + '\n').encode())
        except OSError as e:
            print('%s: %s' % (peer[0], e), flush=True)
