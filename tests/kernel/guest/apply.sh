# Guest payload: the boot-time state file and `offschedctl apply` as the guest's init runs it
# (the systemd unit's ExecStart): attach from the file, apply again (unchanged), changed rules
# (reload, the loop never stops), a rule naming a prefix set and then a changed list file
# (reloads), another service on a CPU (replaced), a CPU gone from the file
# (detached), a broken file (refused whole, nothing changes), the unit's stop (detach --all).
. /tests/common.sh
NIC=0000:00:05.0
check "insmod offsched" load_offsched
check "NIC at $NIC bound to offsched" bind_offsched $NIC
mkdir -p /etc/offsched
cat > /etc/offsched/fw.yaml <<'EOF'
rules:
  - {name: flood, src: 198.18.0.0/15, action: drop}
EOF
cat > /etc/offsched/offsched.yaml <<'EOF'
cpus:
  - {cpu: 1, service: firewall, config: fw.yaml}
  - {cpu: 2, service: timer}
EOF
applied() { offschedctl apply > /tmp/apply.out 2>&1; rc=$?; cat /tmp/apply.out; [ $rc = 0 ] && grep -q "$1" /tmp/apply.out; }
check "apply --check accepts the file" offschedctl apply --check
check "apply attaches the firewall on CPU 1" applied "cpu1: firewall attached"
check "and the timer on CPU 2" grep -q "cpu2: timer attached" /tmp/apply.out
check "CPUs 1 and 2 left Linux" sh -c '! grep -q "^1$" /sys/devices/system/cpu/cpu1/online && ! grep -q "^1$" /sys/devices/system/cpu/cpu2/online'
check "a second apply changes nothing" applied "cpu1: firewall unchanged"
check "  (timer too)" grep -q "cpu2: timer unchanged" /tmp/apply.out
loops=$(counter 1 backend loop_iterations)
echo "  - {name: test-net, src: 203.0.113.0/24, action: drop}" >> /etc/offsched/fw.yaml
check "changed rules are reloaded, not restarted" applied "cpu1: firewall reloaded, still running"
check "the firewall took one reload and its loop kept running" \
  sh -c "[ \$(cat /sys/kernel/offsched/cpu1/stats/reloads) = 1 ] && [ \$(cat /sys/kernel/offsched/cpu1/backend/loop_iterations) -gt $loops ]"
# A rule naming a prefix set (a file beside the config): the set travels with the config, and the
# record keeps its digest, so a changed list file alone is a reload too.
printf '# feed\n192.0.2.0/24\n' > /etc/offsched/feed.txt
echo "  - {name: feed, src_set: feed.txt, action: drop}" >> /etc/offsched/fw.yaml
check "a rule naming a prefix set is reloaded in" applied "cpu1: firewall reloaded, still running"
check "  apply --check reports the set" sh -c 'offschedctl apply --check | grep -q "cpu1: prefix set .feed.txt.: 1 entries"'
check "  an unchanged file and list: nothing to do" applied "cpu1: firewall unchanged"
printf '# feed\n192.0.2.0/24\n198.51.100.0/24\n' > /etc/offsched/feed.txt
check "a changed list file alone is reloaded" applied "cpu1: firewall reloaded, still running"
check "  three reloads in all, the loop never stopped" \
  sh -c "[ \$(cat /sys/kernel/offsched/cpu1/stats/reloads) = 3 ] && [ \$(cat /sys/kernel/offsched/cpu1/backend/loop_iterations) -gt $loops ]"
sed -i 's/service: timer/service: rt/' /etc/offsched/offsched.yaml
check "another service on CPU 2 replaces the timer" applied "cpu2: timer replaced by rt"
check "CPU 2 runs rt" [ "$(cat /sys/kernel/offsched/cpu2/service)" = rt ]
printf 'cpus:\n  - {cpu: 1, service: firewall, config: fw.yaml}\n' > /etc/offsched/offsched.yaml
check "a CPU gone from the file is detached" applied "cpu2: rt detached"
check "CPU 2 back online" grep -q 1 /sys/devices/system/cpu/cpu2/online
printf 'cpus:\n  - {cpu: 1, service: firewall, config: {syn_limit_pps: 999999999999}}\n  - {cpu: 3, service: timer}\n' > /tmp/bad.yaml
fails_with "a broken file is refused with file:line:column" "bad.yaml:2:.*syn_limit_pps.*nothing applied" \
  offschedctl apply --file /tmp/bad.yaml
check "  and nothing changed (CPU 3 online, CPU 1 still the firewall, three reloads)" \
  sh -c 'grep -q 1 /sys/devices/system/cpu/cpu3/online && [ "$(cat /sys/kernel/offsched/cpu1/stats/reloads)" = 3 ]'
check "the unit's stop: detach --all" offschedctl detach --all
check "every CPU back online" sh -c 'for c in 1 2 3; do grep -q 1 /sys/devices/system/cpu/cpu$c/online || exit 1; done'
check "rmmod offsched" rmmod offsched
check "dmesg clean" dmesg_clean
