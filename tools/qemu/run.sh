#!/usr/bin/env bash
# Boots the host's stock kernel (/boot/vmlinuz-*) under QEMU TCG with an initramfs built by
# mkinitramfs.sh, captures the serial console, and exits with the guest payload's exit status.
#
#   run.sh --initrd FILE [--smp 4] [--mem 512] [--timeout 120] [--log FILE] [--quiet]
#          [--nic udp=HOST:PEERPORT,localaddr=HOST:LOCALPORT[,mac=52:54:..][,addr=0x5][,model=e1000]]...
#          [--nic tap=IFNAME[,mac=52:54:..][,addr=0x6][,model=e1000][,queues=N]]... [--netns NAME]
#          [--append "kernel args"] [--kernel FILE] [--qemu-arg ARG]... [--pidfile FILE]
#          [--boot-timeout 60]
#
# --nic udp=... adds a NIC on `-netdev socket,udp=`: each UDP datagram is one Ethernet frame, so
# a host program bound to PEERPORT exchanges real frames with the guest (no tap, no root).
# --nic tap=IFNAME attaches a NIC to an existing tap device (`-netdev tap,ifname=IFNAME,
# script=no,downscript=no`): the caller creates and addresses the tap (root), so the host's own
# TCP stack, tcpdump and packet sockets on that tap see the guest's wire. queues=N (virtio-net
# only, N >= 2) gives the device N queue pairs (mq=on) on N queues of the tap, which the caller
# creates multi_queue (`ip tuntap add ... multi_queue`); the tap's flow hash picks the queue.
# model= picks the QEMU device model (default e1000), addr= its PCI slot, mac= its address.
# --netns NAME runs QEMU inside the existing network namespace NAME (`ip netns exec`), where
# the --nic tap= devices must live.
# Exit status: the payload's status; 124 on timeout; 125 if the guest never reported one
# (panic, crash, or the boot hung twice); 127 if QEMU or the kernel is missing (with what to install).
# --boot-timeout S (default 60, 0 = off): a kernel that has not run /init S seconds after QEMU
# started is a boot hang of the stock kernel under TCG, before any offsched code is loaded (seen
# once in CI in some hundreds of boots, on 2 loaded cores). run.sh prints the console's tail, keeps
# that console as LOG.hung, and boots once more; a second hang ends the run (125).
# --pidfile: where to write the PID to signal (TERM) to stop the guest early, e.g. when the
# host side of a test failed and nothing will release the guest.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

initrd="" smp=4 mem=512 timeout_s=120 log="" quiet=0 append="" kernel="" nics=() extra=() pidfile="" netns=""
boot_timeout_s=60
while [ $# -gt 0 ]; do
  case $1 in
    --initrd) initrd=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    --nic) nics+=("$2"); shift 2 ;;
    --append) append=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --qemu-arg) extra+=("$2"); shift 2 ;;
    --pidfile) pidfile=$2; shift 2 ;;
    --netns) netns=$2; shift 2 ;;
    --boot-timeout) boot_timeout_s=$2; shift 2 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case $boot_timeout_s in '' | *[!0-9]*) echo "run.sh: --boot-timeout takes whole seconds (got '$boot_timeout_s')" >&2; exit 2 ;; esac
[ -n "$initrd" ] && [ -f "$initrd" ] || { echo "run.sh: --initrd FILE is required (got '$initrd')" >&2; exit 2; }

qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || { echo "FAIL: qemu-system-x86_64 not found: install qemu-system-x86 (tools/setup.sh)" >&2; exit 127; }
if [ -z "$kernel" ]; then
  kernel=$("$here/find-kernel.sh") || { echo "FAIL: no kernel image: install linux-image-amd64 (tools/setup.sh)" >&2; exit 127; }
fi

args=(-accel tcg -machine pc -cpu max -m "$mem" -smp "$smp" -kernel "$kernel" -initrd "$initrd"
      -append "console=ttyS0 panic=-1 oops=panic $append" -display none -monitor none
      -serial stdio -no-reboot -nic none)
i=0
for spec in "${nics[@]}"; do
  netdev="" dev="" udp=0 tap=0 model=e1000 queues=1
  IFS=, read -ra parts <<< "$spec"
  for p in "${parts[@]}"; do
    case $p in
      udp=*|localaddr=*) netdev+=",$p"; udp=1 ;;
      tap=*) netdev+=",ifname=${p#tap=},script=no,downscript=no"; tap=1 ;;
      model=*) model=${p#model=} ;;
      mac=*|addr=*) dev+=",$p" ;;
      queues=*) queues=${p#queues=} ;;
      *) echo "run.sh: bad --nic part '$p' (want udp=,localaddr= or tap=, and mac=,addr=,model=,queues=)" >&2; exit 2 ;;
    esac
  done
  case $udp$tap in
    10) kind=socket ;;
    01) kind=tap ;;
    11) echo "run.sh: --nic '$spec' mixes udp= and tap=" >&2; exit 2 ;;
    *) echo "run.sh: --nic '$spec' needs udp=HOST:PORT,localaddr=HOST:PORT or tap=IFNAME" >&2; exit 2 ;;
  esac
  if [ "$queues" != 1 ]; then
    [[ $queues =~ ^[0-9]+$ ]] && [ "$queues" -ge 2 ] && [ "$queues" -le 8 ] ||
      { echo "run.sh: --nic '$spec': queues=$queues is not a number from 2 to 8" >&2; exit 2; }
    [ "$kind" = tap ] && [ "$model" = virtio-net-pci ] ||
      { echo "run.sh: --nic '$spec': queues= needs tap= and model=virtio-net-pci" >&2; exit 2; }
    # A vector per queue and two more (config, control): what Linux's virtio_net asks for.
    netdev+=",queues=$queues" dev+=",mq=on,vectors=$((2 * queues + 2))"
  fi
  args+=(-netdev "$kind,id=osn$i$netdev" -device "$model,netdev=osn$i$dev")
  i=$((i + 1))
done
if [ -n "$netns" ]; then
  command -v ip >/dev/null || { echo "FAIL: --netns needs ip: install iproute2" >&2; exit 127; }
  ip netns exec "$netns" true 2>/dev/null ||
    { echo "FAIL: --netns $netns: no such network namespace, or not allowed to enter it (needs root)" >&2; exit 127; }
fi
args+=("${extra[@]}")

[ -n "$log" ] || log=$(mktemp /tmp/offsched-qemu.XXXXXX.log)
# The subshell records its PID and then becomes `timeout`, which passes a TERM on to QEMU.
launch() {
  [ -z "$pidfile" ] || echo "$BASHPID" > "$pidfile"
  if [ -n "$netns" ]; then # ip netns exec execs QEMU in place, so timeout still signals QEMU itself
    exec timeout -k 5 "$timeout_s" ip netns exec "$netns" "$qemu" "${args[@]}" < /dev/null
  fi
  exec timeout -k 5 "$timeout_s" "$qemu" "${args[@]}" < /dev/null
}
# boot_once: runs QEMU with the console in $log (shown live unless --quiet); sets rc, and hung=1
# when the kernel did not run /init within the boot timeout (QEMU is then stopped).
boot_once() {
  hung=0
  : > "$log"
  (launch) > "$log" 2>&1 &
  local qemu_job=$! follower="" waited=0
  [ $quiet = 1 ] || { tail -n +1 -f --pid=$qemu_job "$log" & follower=$!; }
  if [ "$boot_timeout_s" -gt 0 ]; then
    while kill -0 $qemu_job 2>/dev/null && ! grep -q 'Run /init as init process' "$log"; do
      if [ $waited -ge "$boot_timeout_s" ]; then
        hung=1
        kill -TERM $qemu_job 2>/dev/null
        break
      fi
      sleep 1
      waited=$((waited + 1))
    done
  fi
  wait $qemu_job
  rc=$?
  [ -z "$follower" ] || wait "$follower" 2>/dev/null
}
boot_once
if [ $hung = 1 ]; then
  mv "$log" "$log.hung"
  { echo "run.sh: the kernel did not run /init within ${boot_timeout_s}s (boot hang before offsched is loaded);"
    echo "run.sh: console tail (all of it in $log.hung):"; tail -n 15 "$log.hung" | tr -d '\r'
    echo "run.sh: booting once more"; } >&2
  boot_once
  if [ $hung = 1 ]; then
    echo "run.sh: the second boot hung too before /init (console: $log)" >&2
    exit 125
  fi
fi

status=$(tr -d '\r' < "$log" | sed -n 's/^@@GUEST-EXIT@@ \([0-9]*\)$/\1/p' | tail -1)
if [ -n "$status" ]; then
  exit "$status"
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  echo "run.sh: guest timed out after ${timeout_s}s (console: $log)" >&2
  exit 124
fi
echo "run.sh: guest reported no exit status (QEMU rc $rc; panic or crash? console: $log)" >&2
exit 125
