#!/usr/bin/env bash
# Builds offsched.ko from scratch and checks the silent traps of C++ in a kernel module:
# no compiler/objtool warnings, no global constructors, __cxa_pure_virtual defined, the kernel
# code model and no red zone in the C++ flags, no ftrace hooks in dead-CPU code, GPL license.
#   test_module_build.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
. "$(dirname "$0")/lib.sh"
"$REPO/tools/qemu/find-headers.sh" >/dev/null || { echo "FAIL: no kernel headers: install linux-headers-amd64 (tools/setup.sh)"; exit 1; }

new_work kbuild
out=$work
make -C "$REPO/backends/kernel" BUILD="$out" V=1 > "$out/build.log" 2>&1
rc=$?
grep -vE '^ *(gcc|g\+\+|ld|\./tools/objtool|make|if |\{|printf|sed|scripts/|sh |mkdir|echo|set )' "$out/build.log"

# The C++ must get every code-generation option (-m..., -f...) the kernel's own compile line of
# a C file in this very build has, except the ftrace hooks left out on purpose.
c_line=$(grep -E "gcc[^ ]* .* -c -o $out/main.o" "$out/build.log" | head -1)
missing=""
for f in $c_line; do
  case $f in
    -pg|-mfentry|-mrecord-mcount|-std=*|-fmacro-prefix-map=*) ;;
    -m*|-f*) grep -qF -- " $f " <(echo " $(cat "$out/cxxflags.txt") ") || missing+=" $f" ;;
  esac
done

expect "found the kernel's C compile line in make V=1" "[ -n \"\$c_line\" ]"
expect "C++ has every -m/-f option of the kernel's C line (missing:$missing)" "[ -z '$missing' ]"
expect "module builds" "[ $rc = 0 ] && [ -f '$out/offsched.ko' ]"
expect "no compiler or objtool warnings" "! grep -E 'warning:|objtool:' '$out/build.log'"
expect "C++ objects were built and linked" "ls '$out'/cxx-obj/services/registry.o '$out'/cxx-obj/model/schema.o >/dev/null"
expect "no .init_array/.ctors in any object" \
  "! for o in \$(find '$out' -name '*.o'); do objdump -h \$o; done | grep -E '\\.(init_array|ctors)' >/dev/null"
expect "__cxa_pure_virtual defined (not a weak 0)" "nm '$out/offsched.ko' | grep ' T __cxa_pure_virtual' >/dev/null"
expect "no undefined C++ runtime symbols" "! nm -u '$out/offsched.ko' | grep -E '_Zn|_Zd|__cxa|__gxx|_Unwind'"
expect "C++ built with -mcmodel=kernel and -mno-red-zone" \
  "grep -q -- '-mcmodel=kernel' '$out/cxxflags.txt' && grep -q -- '-mno-red-zone' '$out/cxxflags.txt'"
expect "C++ built without ftrace hooks (-pg/-mfentry)" "! grep -qE -- ' -pg | -mfentry' '$out/cxxflags.txt'"
expect "no __fentry__ call in C++ objects" \
  "! for o in '$out'/cxx-obj/*/*.o '$out'/cxx-obj/*/*/*.o; do nm -u \$o; done 2>/dev/null | grep __fentry__ >/dev/null"
# Every C function the dead CPU runs (the NIC layer's entry points, each family's rings, the host
# path, the takeover hook). Each must be found (a renamed function would make the check vacuous)
# and none may carry an ftrace hook. (Small static helpers such as vq_publish are inlined into
# these and have no symbol of their own.)
dead_cpu_fns="osk_nic_rx osk_nic_tx osk_nic_tx_flush osk_nic_mac host_wire_tx host_wire_flush e1000_rx e1000_tx
  e1000_tx_flush vnet_rx vnet_tx vnet_tx_flush osk_host_pass osk_host_doorbell
  osk_host_tx_drain osk_host_tx_lend offsched_play_dead"
objdump -dr "$out"/nic.o "$out"/e1000.o "$out"/virtio_net.o "$out"/hostdev.o "$out"/takeover.o > "$out/dead_cpu.dis"
missing="" hooked=""
for fn in $dead_cpu_fns; do
  body=$(awk -v f="<$fn>:" '$2 == f {on = 1; next} /^$/ {on = 0} on' "$out/dead_cpu.dis")
  if [ -z "$body" ]; then missing="$missing $fn"; elif grep -q __fentry__ <<<"$body"; then hooked="$hooked $fn"; fi
done
expect "every dead-CPU C function found in the objects (missing:${missing:- none})" "[ -z '$missing' ]"
expect "dead-CPU C functions are notrace (hooked:${hooked:- none})" "[ -z '$hooked' ]"
expect "objtool annotated the C++ (ORC unwind + return sites in cxx.o)" \
  "readelf -SW '$out/cxx.o' | grep -E ' \.orc_unwind_ip | \.return_sites ' | wc -l | grep -x 2 >/dev/null"
# Inline functions are COMDAT copies in several objects; objtool per object would record each
# copy's sites and the kernel would patch one site twice ("missing return thunk" WARN at insmod).
for sec in return_sites retpoline_sites call_sites; do
  expect "no duplicate .$sec entries" \
    "[ -z \"\$(readelf -rW '$out/offsched.ko' | awk -v s=\"'.rela.$sec'\" '/^Relocation section/ {f = (\$3 == s); next} f && /R_X86/ {print \$5, \$NF}' | sort | uniq -d)\" ]"
done
expect "license is GPL" "modinfo -F license '$out/offsched.ko' | grep -x GPL >/dev/null"
verdict "module build test"
