#!/usr/bin/env python3
"""Derives data/cpuhp/linux-<ver>.yaml (the cpuhp state table the hotplug model loads) from
the real kernel: the enum in include/linux/cpuhotplug.h (step numbers, section anchors), the
static table in kernel/cpu.c and every cpuhp_setup_state*() call in the tree (callback names),
/sys/devices/system/cpu/hotplug/states of the booted kernel (which states exist, dynamic slot
numbers) and a cpuhp trace of one offline + online (instance counts of multi-instance states,
per-callback cost in ns).

One-off tool, run by hand when a new kernel is added; neither the build nor the tests need it
(nor the kernel sources). Usage:
  derive_states.py SRC_DIR STATES_TXT OFFLINE_TRACE ONLINE_TRACE KERNEL_LABEL > linux-X.yaml
"""
import re
import sys
from pathlib import Path


def parse_enum(header):
    body = re.search(r"enum cpuhp_state \{(.*?)\};", header, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    values, nxt = {}, 0
    for item in body.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            name, expr = (s.strip() for s in item.split("=", 1))
            for k, v in values.items():
                expr = re.sub(rf"\b{k}\b", str(v), expr)
            val = eval(expr)  # only integer arithmetic on known enumerators
        else:
            name, val = item, nxt
        values[name] = val
        nxt = val + 1
    return values


def parse_static_table(cpu_c):
    """[CPUHP_X] = { .name = "...", .startup.single = f, .teardown.single = g, .cant_stop = true }"""
    table = {}
    for m in re.finditer(r"\[(CPUHP_\w+)\]\s*=\s*\{(.*?)\n\t\}", cpu_c, re.S):
        enum, body = m.group(1), m.group(2)
        name = re.search(r'\.name\s*=\s*"([^"]+)"', body)
        su = re.search(r"\.startup\.single\s*=\s*(\w+)", body)
        td = re.search(r"\.teardown\.single\s*=\s*(\w+)", body)
        table[enum] = dict(
            name=name.group(1) if name else None,
            startup=None if not su or su.group(1) == "NULL" else su.group(1),
            teardown=None if not td or td.group(1) == "NULL" else td.group(1),
            cant_stop="cant_stop" in body and "true" in body.split("cant_stop")[1][:20])
    return table


SETUP = re.compile(r"cpuhp_setup_state(_multi|_nocalls|_nocalls_cpuslocked|_cpuslocked)?\s*\(\s*"
                   r"(\w+)\s*,\s*\"([^\"]+)\"\s*,\s*(\w+)\s*,\s*(\w+)\s*\)", re.S)


def parse_setup_calls(src):
    calls = {}
    for path in src.rglob("*.c"):
        text = path.read_text(errors="replace")
        if "cpuhp_setup_state" not in text:
            continue
        for m in SETUP.finditer(text):
            kind, _state, name, su, td = m.groups()
            calls.setdefault(name, dict(multi=kind == "_multi",
                                        startup=None if su == "NULL" else su,
                                        teardown=None if td == "NULL" else td,
                                        where=str(path.relative_to(src))))
    return calls


TRACE = re.compile(r"\s(\d+\.\d+): (cpuhp_enter|cpuhp_multi_enter|cpuhp_exit):\s+cpu: \d+\s+"
                   r"(?:target|state):\s*(-?\d+) step:\s*(\d+)(?: \((\w+)\)| ret: (-?\d+))")


def parse_trace(path):
    """Returns {step: (fn, multi, instances, cost_ns)} for one direction."""
    out, opened = {}, {}  # opened: step -> enter; bringup_cpu/kick_ap_work nest other steps
    for line in Path(path).read_text().splitlines():
        m = TRACE.search(line)
        if not m:
            continue
        ts, ev, _, step, fn, _ret = m.groups()
        t = int(round(float(ts) * 1e9))
        step = int(step)
        if ev != "cpuhp_exit":
            opened[step] = (fn, ev == "cpuhp_multi_enter", t)
        elif step in opened:
            fn, multi, t0 = opened.pop(step)
            prev = out.get(step)
            inst = prev[2] + 1 if prev else 1
            out[step] = (fn, multi, inst, (prev[3] if prev else 0) + t - t0)
    return out


def main():
    src, states_txt, off_tr, on_tr, label = sys.argv[1:6]
    src = Path(src)
    enum = parse_enum((src / "include/linux/cpuhotplug.h").read_text())
    static = parse_static_table((src / "kernel/cpu.c").read_text())
    calls = parse_setup_calls(src)
    by_value = {}
    for k, v in enum.items():
        by_value.setdefault(v, k)
    off, on = parse_trace(off_tr), parse_trace(on_tr)
    # Step CPUHP_ONLINE in a trace is cpuhp_kick_ap_work (_cpu_down handing the AP states to
    # the cpuhp thread), not a callback of the state.
    off.pop(enum["CPUHP_ONLINE"], None)
    on.pop(enum["CPUHP_ONLINE"], None)

    a = {"offline": enum["CPUHP_OFFLINE"], "bp_prepare_dyn": enum["CPUHP_BP_PREPARE_DYN"],
         "bp_prepare_dyn_end": enum["CPUHP_BP_PREPARE_DYN_END"],
         "bringup_cpu": enum["CPUHP_BRINGUP_CPU"], "ap_idle_dead": enum["CPUHP_AP_IDLE_DEAD"],
         "ap_offline": enum["CPUHP_AP_OFFLINE"], "ap_online": enum["CPUHP_AP_ONLINE"],
         "teardown_cpu": enum["CPUHP_TEARDOWN_CPU"], "ap_online_idle": enum["CPUHP_AP_ONLINE_IDLE"],
         "ap_online_dyn": enum["CPUHP_AP_ONLINE_DYN"],
         "ap_online_dyn_end": enum["CPUHP_AP_ONLINE_DYN_END"],
         "ap_active": enum["CPUHP_AP_ACTIVE"], "online": enum["CPUHP_ONLINE"]}

    def section(step):
        if step == a["teardown_cpu"] or step <= a["bringup_cpu"]:
            return "prepare"      # BP: runs on the control CPU
        if step <= a["ap_online"]:
            return "starting"     # AP, interrupts off, from the low-level bringup/teardown
        return "online"           # AP, in the cpuhp/N thread

    print(f"# cpuhp state table of {label}, generated by data/cpuhp/derive_states.py from:")
    print("#   include/linux/cpuhotplug.h (step numbers), kernel/cpu.c + cpuhp_setup_state*() calls")
    print("#   (callbacks), /sys/devices/system/cpu/hotplug/states and a cpuhp trace of one")
    print("#   offline+online in QEMU TCG (instances of multi-instance states, cost_ns).")
    print("# cost_ns are QEMU TCG durations: they give orders of magnitude, not hardware timings.")
    print(f"kernel: \"{label}\"")
    print("anchors:")
    for k, v in a.items():
        print(f"  {k}: {v}")
    print("# costs: and callbacks: below the states are hand-written (see the end of this file).")
    print("states:")
    for line in Path(states_txt).read_text().splitlines():
        m = re.match(r"\s*(\d+): (.+)$", line)
        if not m:
            continue
        step, name = int(m.group(1)), m.group(2).strip()
        enum_name = by_value.get(step, "?")
        if a["bp_prepare_dyn"] <= step <= a["bp_prepare_dyn_end"]:
            enum_name = f"CPUHP_BP_PREPARE_DYN+{step - a['bp_prepare_dyn']}"
        if a["ap_online_dyn"] <= step <= a["ap_online_dyn_end"]:
            enum_name = f"CPUHP_AP_ONLINE_DYN+{step - a['ap_online_dyn']}"
        st = static.get(enum_name) if enum_name in static and static[enum_name]["name"] == name else None
        call = calls.get(name)
        startup = st["startup"] if st else (call["startup"] if call else None)
        teardown = st["teardown"] if st else (call["teardown"] if call else None)
        multi = bool(call and call["multi"])
        # The trace names what really ran; prefer it (the source may use a wrapper macro, and
        # some callbacks are #defined to NULL, e.g. slab_prepare_cpu under SLUB). Every
        # non-empty single-instance state outside STARTING runs in a full offline/online, so
        # a callback absent from the trace does not exist in this build. STARTING/DYING ones
        # are never traced (the tracepoint is off while the CPU is not in cpu_online_mask).
        if not multi and section(step) != "starting":
            startup = on[step][0] if step in on else None
            teardown = off[step][0] if step in off else None
        if step in on:
            startup, multi = on[step][0], on[step][1] or multi
        if step in off:
            teardown, multi = off[step][0], off[step][1] or multi
        inst = max(on.get(step, (0, 0, 0, 0))[2], off.get(step, (0, 0, 0, 0))[2])
        fields = [f"step: {step}", f"name: \"{name}\"", f"enum: {enum_name}",
                  f"section: {section(step)}"]
        if startup:
            fields.append(f"startup: {startup}")
        if teardown:
            fields.append(f"teardown: {teardown}")
        if multi:
            fields.append(f"instances: {inst}")
        if st and st["cant_stop"]:
            fields.append("cant_stop: true")
        # bringup_cpu / takedown_cpu costs are the sum of their modelled sub-steps (costs:).
        if step in on and step not in (a["bringup_cpu"], a["teardown_cpu"]):
            fields.append(f"startup_ns: {on[step][3]}")
        if step in off and step not in (a["bringup_cpu"], a["teardown_cpu"]):
            fields.append(f"teardown_ns: {off[step][3]}")
        print("  - {" + ", ".join(fields) + "}")


if __name__ == "__main__":
    main()
