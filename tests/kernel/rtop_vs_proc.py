#!/usr/bin/env python3
"""rtop's figures against /proc (kernel.rtop): every sample the host decoded must lie between
the guest's /proc snapshots taken before the first sample and after the last.

    rtop_vs_proc.py PROC_TXT RTOP_JSONL

PROC_TXT holds "@@PROCSTAT before|after cpuN user nice system idle iowait irq softirq steal ..."
(USER_HZ ticks) and "@@MEMINFO before|after MemTotal MemAvailable" (kB). Online CPUs only:
/proc/stat omits the dead one. Prints each violation; exit 1 if any."""
import json
import sys

TICK_NS = 10_000_000  # USER_HZ = 100
SLACK = TICK_NS       # /proc/stat rounds to ticks


def load_proc(path):
    stat, mem = {}, {}
    for line in open(path):
        f = line.split()
        if f[0] == "@@PROCSTAT":
            v = [int(x) for x in f[3:11]]
            user, nice, system, idle, iowait, irq, softirq, steal = v
            stat[(f[1], int(f[2][3:]))] = {
                "busy_ns": (user + nice + system + steal) * TICK_NS,
                # rtop's idle is NOHZ idle time without iowait where the kernel has it, else
                # idle + iowait: the lower bound takes idle alone, the upper both.
                "idle_ns": (idle * TICK_NS, (idle + iowait) * TICK_NS),
                "irq_ns": irq * TICK_NS,
                "softirq_ns": softirq * TICK_NS,
            }
        elif f[0] == "@@MEMINFO":
            mem[f[1]] = (int(f[2]), int(f[3]))
    return stat, mem


def main():
    stat, mem = load_proc(sys.argv[1])
    samples = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    bad, checked = [], 0
    if "before" not in mem or "after" not in mem or not samples:
        print("rtop_vs_proc: missing /proc snapshots or samples")
        return 1
    for s in samples:
        if s["mem_total_kb"] != mem["before"][0]:
            bad.append(f"sample {s['sample']}: mem_total_kb {s['mem_total_kb']} != MemTotal {mem['before'][0]}")
        lo = min(mem["before"][1], mem["after"][1]) * 9 // 10
        hi = max(mem["before"][1], mem["after"][1]) * 11 // 10
        if not lo <= s["mem_available_kb"] <= hi:
            bad.append(f"sample {s['sample']}: mem_available_kb {s['mem_available_kb']} outside [{lo}, {hi}]")
        for c in s["cpus"]:
            before, after = stat.get(("before", c["cpu"])), stat.get(("after", c["cpu"]))
            if before is None or after is None:
                continue  # offline in a snapshot (the dead CPU)
            for k in ("busy_ns", "idle_ns", "irq_ns", "softirq_ns"):
                checked += 1
                lo = before[k][0] if k == "idle_ns" else before[k]
                hi = after[k][1] if k == "idle_ns" else after[k]
                if not lo - SLACK <= c[k] <= hi + SLACK:
                    bad.append(f"sample {s['sample']} cpu {c['cpu']}: {k} {c[k]} outside /proc's [{lo}, {hi}]")
    for b in bad[:20]:
        print(b)
    print(f"rtop_vs_proc: {len(samples)} samples, {checked} CPU figures and the memory checked, {len(bad)} outside")
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
