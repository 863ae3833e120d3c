#!/bin/bash
# PID 1 of a Tandem test guest (User-Mode Linux, see UmlGuest.java). The kernel mounts the host's / read-only
# through hostfs. Phase one puts a tmpfs overlay on top, so the guest writes (iSCSI node records, logs) never reach
# the host, and pivots into it; phase two mounts the kernel file systems, brings up eth0, mounts the spool
# directory the host shares with the guest and runs the command agent until the host asks for a power-off.
# Settings come from the kernel command line: tandem.name, tandem.ip (address/prefix), tandem.spool (host path).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
setting() {
  local w
  for w in $(</proc/cmdline); do
    if [[ $w == "tandem.$1="* ]]; then echo "${w#*=}"; return; fi
  done
}
halt_guest() {
  echo "tandem-guest: $*" >&2
  echo o > /proc/sysrq-trigger
  poweroff -f
}

if [[ ${1:-} != overlaid ]]; then
  mount -t proc proc /proc
  modules=/usr/lib/uml/modules/$(uname -r)
  # /mnt of the host is only a mount point here; the tmpfs hides whatever the host keeps there.
  mount -t tmpfs -o mode=0755 scratch /mnt || halt_guest "no tmpfs"
  mkdir -p /mnt/upper /mnt/work /mnt/root
  insmod "$modules/kernel/fs/overlayfs/overlay.ko" || halt_guest "overlay module did not load"
  mount -t overlay root -o lowerdir=/,upperdir=/mnt/upper,workdir=/mnt/work /mnt/root || halt_guest "no overlay"
  # modprobe looks in /lib/modules/VERSION; the UML package keeps its modules elsewhere.
  mkdir -p "/mnt/root/lib/modules/$(uname -r)"
  mount --bind "$modules" "/mnt/root/lib/modules/$(uname -r)"
  umount /proc
  cd /mnt/root && mkdir -p host && pivot_root . host || halt_guest "pivot_root failed"
  exec chroot . /bin/bash "$0" overlaid
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
for d in /run /dev/shm; do mount -t tmpfs tmpfs "$d"; done
mkdir -p /run/lock
hostname "$(setting name)"
ip link set lo up
ip addr add "$(setting ip)" dev eth0 && ip link set eth0 up || halt_guest "eth0 not configured"
mkdir -p /spool
mount -t hostfs -o "$(setting spool)" spool /spool || halt_guest "spool not mounted"
/usr/bin/python3 "$(dirname "$0")/agent.py" /spool
halt_guest "agent ended"
