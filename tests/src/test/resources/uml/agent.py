#!/usr/bin/python3
"""Command agent of a Tandem test guest (see UmlGuest.java).

The host and the guest share one directory (hostfs). The host asks for a command by renaming a finished file
to N.cmd: first line the time limit in seconds, the rest a bash script. The agent runs it in a process group of
its own, with stdin from /dev/null and output to a guest-local file (so a daemon the command starts cannot hold
the agent up), kills the group when the limit passes (exit 124), then publishes N.out and, last, N.rc, each by
rename so the host never reads a half-written file. A file named 'poweroff' ends the agent. 'ready' says it is
listening. Requests run concurrently, each on a thread of its own.
"""
import os
import signal
import subprocess
import sys
import threading
import time

spool = sys.argv[1]


def publish(name, text):
    tmp = os.path.join(spool, '.' + name + '.tmp')
    with open(tmp, 'w') as f:
        f.write(text)
    os.rename(tmp, os.path.join(spool, name))


def serve(request):
    with open(os.path.join(spool, request + '.cmd')) as f:
        limit, _, script = f.read().partition('\n')
    log = '/run/agent-' + request + '.out'
    with open(log, 'wb') as out:
        p = subprocess.Popen(['/bin/bash', '-c', script], stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = p.wait(timeout=float(limit))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            rc = 124
    with open(log, errors='replace') as f:
        text = f.read()
    os.unlink(log)
    if rc == 124:
        text += '\n[agent: killed after %s s]\n' % limit
    publish(request + '.out', text)
    publish(request + '.rc', '%d\n' % rc)


seen = set()
publish('ready', '%s\n' % time.monotonic())
while True:
    names = os.listdir(spool)
    if 'poweroff' in names:
        break
    for n in names:
        if n.endswith('.cmd') and n not in seen:
            seen.add(n)
            threading.Thread(target=serve, args=(n[:-4],), daemon=True).start()
    time.sleep(0.05)
