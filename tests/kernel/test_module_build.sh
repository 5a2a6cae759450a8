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
expect "dead-CPU C functions are notrace" \
  "! objdump -dr '$out/e1000.o' '$out/hostdev.o' '$out/takeover.o' | awk '/<osk_nic_rx>:|<osk_nic_tx>:|<osk_nic_tx_flush>:|<osk_host_pass>:|<osk_host_tx_drain>:|<offsched_play_dead>:/{f=1} /^\$/{f=0} f' | grep __fentry__ >/dev/null"
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
