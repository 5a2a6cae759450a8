# Guest payload of kernel.soak: CYCLES attach/detach cycles across services and CPUs 1-2 while
# CPU 3 goes offline and online underneath; at random points the owned NIC is unbound (or
# hot-removed and rescanned) while attached, or the module is removed while attached. After
# every cycle the CPU must be back with Linux and run a task; at the end dmesg must be clean.
. /tests/common.sh
. /tests/soak.env
NIC=0000:00:05.0
check "insmod offsched" load_offsched
check "NIC bound to offsched" bind_offsched $NIC
# CPU 3 cycles on its own for the whole soak (the hotplug lock against our attach/detach).
( while [ ! -e /tmp/soak.done ]; do
    echo 0 > /sys/devices/system/cpu/cpu3/online 2>/dev/null; sleep 0.3
    echo 1 > /sys/devices/system/cpu/cpu3/online 2>/dev/null; sleep 0.3
  done ) &
services=$(awk '{print $1}' /sys/kernel/offsched/services | tr '\n' ' ') # every service the module has
nservices=$(echo $services | wc -w)
bad=0 i=0 unbinds=0 removals=0 rmmods=0
while [ $i -lt "$CYCLES" ]; do
  i=$((i + 1))
  cpu=$((1 + RANDOM % 2))
  set -- $services; shift $((RANDOM % nservices)); svc=$1
  if ! offschedctl attach --cpu $cpu --service $svc > /tmp/attach.out 2>&1; then
    echo "FAIL: cycle $i: attach $svc to CPU $cpu: $(cat /tmp/attach.out)"; bad=$((bad + 1)); continue
  fi
  r=$((RANDOM % 20))
  if [ $r = 0 ]; then       # the NIC goes away under the loop (unbind), then comes back
    unbinds=$((unbinds + 1))
    echo $NIC > /sys/bus/pci/drivers/offsched/unbind
    bind_offsched $NIC || { echo "FAIL: cycle $i: rebind"; bad=$((bad + 1)); }
  elif [ $r = 1 ]; then     # hot removal and rescan
    removals=$((removals + 1))
    echo 1 > /sys/bus/pci/devices/$NIC/remove
    echo 1 > /sys/bus/pci/rescan
    bind_offsched $NIC || { echo "FAIL: cycle $i: rebind after rescan"; bad=$((bad + 1)); }
  elif [ $r = 2 ]; then     # rmmod with the CPU attached, then back
    rmmods=$((rmmods + 1))
    rmmod offsched || { echo "FAIL: cycle $i: rmmod"; bad=$((bad + 1)); }
    load_offsched && bind_offsched $NIC || { echo "FAIL: cycle $i: reload"; bad=$((bad + 1)); }
  fi
  # Still attached: the normal detach (or a NIC-less service the NIC removal did not concern).
  if [ -d /sys/kernel/offsched/cpu$cpu ]; then
    offschedctl detach --cpu $cpu > /tmp/detach.out 2>&1 ||
      { echo "FAIL: cycle $i: detach CPU $cpu: $(cat /tmp/detach.out)"; bad=$((bad + 1)); }
  fi
  if ! grep -q 1 /sys/devices/system/cpu/cpu$cpu/online || ! taskset -c $cpu true; then
    echo "FAIL: cycle $i: CPU $cpu not back with Linux"; bad=$((bad + 1))
  fi
  [ $((i % 20)) = 0 ] && echo "soak: $i cycles, $bad failures ($unbinds unbinds, $removals removals, $rmmods rmmods)"
done
touch /tmp/soak.done; wait
echo "soak: $i cycles, $unbinds unbinds, $removals hot removals, $rmmods rmmods while attached"
check "every cycle returned its CPU ($bad failures)" [ $bad = 0 ]
check "CPU 3 back online" sh -c 'echo 1 > /sys/devices/system/cpu/cpu3/online 2>/dev/null; grep -q 1 /sys/devices/system/cpu/cpu3/online'
check "rmmod offsched" rmmod offsched
check "dmesg clean" dmesg_clean
finish
