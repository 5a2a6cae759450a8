// The kernel backend's model/ implementation, twin of the sim's backends/sim/offload/service_ports.cc:
// TSC clock, PAUSE relax, an owned NIC's queue and the host netdev ring, all reached through the
// C functions in service_ports.h. Runs the backend loop on the dead CPU. Compiled with the
// kernel's code-generation flags (see Kbuild), never traced.
#include "backends/kernel/cxx/service_ports.h"

#include "backends/kernel/cxx/effective_clock.h"

#include "model/service.h"
#include "services/registry.h"

namespace offsched {
namespace {

class TscClock final : public Clock {
public:
    explicit TscClock(u32 khz) : khz_(khz) {}
    u64 cycles() const override { return __builtin_ia32_rdtsc(); }
    u32 khz() const override { return khz_; }

private:
    u32 khz_;
};

class DeadCpuCore final : public Core {
public:
    explicit DeadCpuCore(u32 cpu) : cpu_(cpu) {}
    u32 id() const override { return cpu_; }
    void relax() override { __builtin_ia32_pause(); }

private:
    u32 cpu_;
};

// Borrowed frames from the C side, as model/ Frames (queue 0: one queue per NIC here).
u32 to_frames(const osk_frame* raw, u32 n, u64 rx_cycles, Frame* out)
{
    for (u32 i = 0; i < n; ++i) {
        out[i] = Frame{};
        out[i].data = raw[i].data;
        out[i].len = raw[i].len;
        out[i].rx_cycles = rx_cycles;
    }
    return n;
}

class OwnedNicQueue final : public NicQueue {
public:
    explicit OwnedNicQueue(osk_nic* nic) : nic_(nic) {}
    u32 rx_burst(Frame* out, u32 max) override
    {
        osk_frame raw[32];
        if (max > array_size(raw)) max = array_size(raw);
        const u32 n = osk_nic_rx(nic_, raw, max);
        return to_frames(raw, n, __builtin_ia32_rdtsc(), out);
    }
    u32 tx_burst(const Frame* frames, u32 n) override
    {
        u32 sent = 0;
        while (sent < n && osk_nic_tx(nic_, frames[sent].data, frames[sent].len)) ++sent;
        if (sent) osk_nic_tx_flush(nic_);
        return sent;
    }
    // Counted, for sysfs rx_dropped/rx_answered/rx_passed (their sum is rx_frames).
    void verdict(const Frame&, Verdict v) override
    {
        if (v < Verdict::Count) verdicts[static_cast<u32>(v)].add();
    }
    void mac(u8 out[6]) const override { osk_nic_mac(nic_, out); }
    Counter verdicts[static_cast<u32>(Verdict::Count)];

private:
    osk_nic* nic_;
};

// The host netdev's TX ring, lent to a service that puts the host's frames on the wire itself
// (ServiceNeeds::host_tx). A frame stays in its ring slot until the next take().
class NetdevHostTx final : public HostTx {
public:
    explicit NetdevHostTx(osk_host* host) : host_(host) {}
    u32 take(Frame* out, u32 max) override
    {
        osk_frame raw[32];
        if (max > array_size(raw)) max = array_size(raw);
        lent_ = osk_host_tx_lend(host_, lent_, raw, max);
        return to_frames(raw, lent_, 0, out);
    }

private:
    osk_host* host_;
    u32 lent_ = 0;
};

// One ring towards one online CPU: the host netdev's NAPI context drains it.
class NetdevHostPath final : public HostPath {
public:
    explicit NetdevHostPath(osk_host* host) : host_(host) {}
    bool pass(const Frame& f, u32) override { return osk_host_pass(host_, f.data, f.len) != 0; }
    void doorbell(u32) override { osk_host_doorbell(host_); }
    u32 os_cpus() const override { return 1; }
    // max_frame_len(): the default, kMaxFrameLen, is the ring slot's OSK_RING_FRAME_MAX (ring.h).

private:
    osk_host* host_;
};

struct Instance {
    Instance(const osk_hw& hw)
        : clock(hw.tsc_khz), core(hw.cpu), queue(hw.nic), host(hw.host), host_tx(hw.host), hw(hw)
    {
        queues[0] = &queue;
    }
    TscClock clock;
    DeadCpuCore core;
    OwnedNicQueue queue;
    NetdevHostPath host;
    NetdevHostTx host_tx;
    bool drain_host_tx = false; // the loop puts the host's frames on the wire (NIC, no HostTx)
    NicQueue* queues[1];
    osk_hw hw;
    const ServiceKind* kind = nullptr;
    Service* service = nullptr;
    Counter iterations;
    Counter idle;
    Counter gap_max; // longest time between two iterations (cycles): how long nobody polled
    const void* reload = nullptr; // online -> loop: a config blob to reload; the loop clears it when taken
    u64 reload_bytes = 0;         // its length, written before `reload`
    EffectiveClock effective; // written by the loop only
    Counter effective_khz, effective_khz_min;
};

// Architectural MSRs (Intel SDM vol. 4; AMD the same numbers). Read only where
// X86_FEATURE_APERFMPERF says they exist: a #GP on the dead CPU would enter Linux's fault path.
constexpr u32 kMsrMperf = 0xe7, kMsrAperf = 0xe8;
constexpr u64 kEffectiveWindowMs = 100;

u64 read_msr(u32 msr)
{
    u32 lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (static_cast<u64>(hi) << 32) | lo;
}

// Once per window: rdmsr is serialising (~100 cycles), not for every iteration.
void sample_effective_clock(Instance* in, u64 now)
{
    if (!in->effective.due(now)) return;
    const u64 mperf = read_msr(kMsrMperf), aperf = read_msr(kMsrAperf);
    if (!in->effective.sample(now, aperf, mperf)) return;
    in->effective_khz.set(in->effective.khz());
    in->effective_khz_min.set(in->effective.min_khz());
}

constexpr unsigned long kAlign = 64;

unsigned long round_up(unsigned long v) { return (v + kAlign - 1) & ~(kAlign - 1); }

} // namespace
} // namespace offsched

using namespace offsched;

extern "C" {

unsigned int osk_service_count(void) { return service_kind_count(); }
const char* osk_service_name(unsigned int i) { return service_kind(i).name; }
const char* osk_service_summary(unsigned int i) { return service_kind(i).summary; }

int osk_service_needs_nic(const char* service, const void* config)
{
    const ServiceKind* k = find_service(service);
    return k && k->needs(config).nic;
}

long osk_service_config_size(const char* name)
{
    const ServiceKind* k = find_service(name);
    return k ? static_cast<long>(k->config_size) : -1;
}

int osk_config_check(const char* service, const void* config, unsigned int config_len, osk_config_error* err)
{
    const ServiceKind* k = find_service(service);
    if (!k) {
        *err = {"service", "unknown service", 0, 0, 0, 0};
        return -1;
    }
    u32 index = 0;
    if (const FieldDesc* bad = schema_check_ranges(k->schema, config, &index)) {
        const bool list = bad->type == FieldType::Array;
        *err = {bad->name, list ? "item count outside the schema's range" : "outside the schema's range",
                index, bad->type == FieldType::U32 || bad->type == FieldType::U64 || list, bad->min, bad->max};
        return -1;
    }
    ConfigError ce;
    if (!k->validate(config, &ce)) {
        *err = {ce.field ? ce.field : "config", ce.message ? ce.message : "rejected", ce.index, 0, 0, 0};
        return -1;
    }
    const ConfigData data = config_data(config, k->config_size, config_len);
    const char* why = "rejected";
    if (const FieldDesc* bad = schema_check_data(k->schema, config, data.image, data.bytes, &index, &why)) {
        *err = {bad->name, why, index, 0, 0, 0};
        return -1;
    }
    return 0;
}

// Layout of an instance's storage: Instance | service object | arena (ServiceNeeds), each
// 64-byte aligned. One kvzalloc'ed block, allocated while this CPU is online.
unsigned long osk_instance_size(const char* service, const void* config)
{
    const ServiceKind* k = find_service(service);
    if (!k || k->object_align > kAlign) return 0;
    return round_up(sizeof(Instance)) + round_up(k->object_size) + k->needs(config).arena_bytes;
}

void* osk_instance_create(void* mem, const char* service, const void* config, unsigned int config_len, const osk_hw* hw)
{
    const ServiceKind* k = find_service(service);
    if (!k) return nullptr;
    Instance* in = new (mem) Instance(*hw);
    void* storage = static_cast<u8*>(mem) + round_up(sizeof(Instance));
    const ServiceNeeds needs = k->needs(config);
    ServiceEnv env;
    env.clock = &in->clock;
    env.core = &in->core;
    if (needs.nic && hw->nic) { // a service without NIC needs gets neither queues nor host path
        env.queues = in->queues;
        env.queue_count = 1;
        env.host = &in->host;
        if (needs.host_tx) env.host_tx = &in->host_tx;
        in->drain_host_tx = !needs.host_tx;
    }
    if (needs.arena_bytes) { // zeroed by kvzalloc
        env.arena = static_cast<u8*>(storage) + round_up(k->object_size);
        env.arena_bytes = needs.arena_bytes;
    }
    env.data = config_data(config, k->config_size, config_len);
    in->kind = k;
    in->service = k->create(storage, env, config);
    return in;
}

// The backend loop. Interrupts are off and this CPU is outside Linux: everything reachable from
// here is module code/data, the NIC's DMA memory and MMIO, and the host rings.
void osk_instance_run(void* p, const int* run)
{
    Instance* in = static_cast<Instance*>(p);
    Service* svc = in->service;
    const u32 budget = in->hw.budget;
    u64 last = __builtin_ia32_rdtsc(), gap_max = 0;
    const bool measure_clock = in->hw.aperfmperf;
    in->effective.init(in->hw.tsc_khz, static_cast<u64>(in->hw.tsc_khz) * kEffectiveWindowMs);
    while (__atomic_load_n(run, __ATOMIC_ACQUIRE)) {
        // Under a hypervisor this is time the vCPU did not run; on hardware, SMIs and the like.
        const u64 now = __builtin_ia32_rdtsc();
        if (now - last > gap_max) {
            gap_max = now - last;
            in->gap_max.set(gap_max);
        }
        last = now;
        if (measure_clock) sample_effective_clock(in, now);
        if (const void* next = __atomic_load_n(&in->reload, __ATOMIC_ACQUIRE)) { // between two steps
            osk_local_tlb_flush(); // the blob may be vmalloc memory at an address this CPU cached
            svc->reload(next, config_data(next, in->kind->config_size, in->reload_bytes));
            __atomic_store_n(&in->reload, nullptr, __ATOMIC_RELEASE);
        }
        const StepResult r = svc->step(budget);
        const u32 sent = in->drain_host_tx ? osk_host_tx_drain(in->hw.host, budget) : 0;
        in->iterations.add();
        if (r.idle() && sent == 0) {
            in->idle.add();
            in->core.relax();
        }
    }
}

// The channels (model/channels.h): what the kind declares, reached through Service's channel
// methods; records are copied as bytes, so no service type is known here.
int osk_instance_wants_os_stats(const void* p)
{
    const Instance* in = static_cast<const Instance*>(p);
    return in->kind->channels.os_stats && in->service->os_stats_page();
}

void osk_instance_publish_os_stats(void* p, const osk_cpu_sample* cpus, unsigned int n,
                                   unsigned long long mem_total_kb, unsigned long long mem_available_kb)
{
    Instance* in = static_cast<Instance*>(p);
    OsStatsPage* page = in->kind->channels.os_stats ? in->service->os_stats_page() : nullptr;
    if (!page) return;
    // Written in place under the seqlock (a whole OsStats is too big for a kernel stack).
    const u32 count = n < kOsStatsMaxCpus ? n : kOsStatsMaxCpus;
    OsStats& d = page->data;
    os_stats_write_begin(page);
    store_relaxed(&d.cpu_count, count);
    store_relaxed(&d.mem_total_kb, static_cast<u64>(mem_total_kb));
    store_relaxed(&d.mem_available_kb, static_cast<u64>(mem_available_kb));
    for (u32 i = 0; i < count; ++i) {
        store_relaxed(&d.cpus[i].busy_ns, static_cast<u64>(cpus[i].busy_ns));
        store_relaxed(&d.cpus[i].idle_ns, static_cast<u64>(cpus[i].idle_ns));
        store_relaxed(&d.cpus[i].irq_ns, static_cast<u64>(cpus[i].irq_ns));
        store_relaxed(&d.cpus[i].softirq_ns, static_cast<u64>(cpus[i].softirq_ns));
        store_relaxed(&d.cpus[i].nr_running, cpus[i].nr_running);
    }
    os_stats_write_end(page);
}

int osk_instance_takes_requests(const void* p)
{
    const ChannelSpec& c = static_cast<const Instance*>(p)->kind->channels;
    return c.request_bytes && c.request_from_text;
}

int osk_instance_post_request_text(void* p, const char* text, unsigned int len)
{
    Instance* in = static_cast<Instance*>(p);
    const ChannelSpec& c = in->kind->channels;
    u64 record[kMaxChannelRecord / 8];
    if (!c.request_bytes || !c.request_from_text ||
        !c.request_from_text(text, len, RequestContext{in->clock.cycles(), in->clock.khz()}, record))
        return -22; // -EINVAL
    return in->service->post_request(record) ? 0 : -11; // -EAGAIN: the ring is full
}

int osk_instance_completes(const void* p)
{
    const ChannelSpec& c = static_cast<const Instance*>(p)->kind->channels;
    return c.completion_bytes && c.summarize;
}

int osk_instance_pop_completion(void* p, osk_completion* out)
{
    Instance* in = static_cast<Instance*>(p);
    const ChannelSpec& c = in->kind->channels;
    u64 record[kMaxChannelRecord / 8];
    if (!c.completion_bytes || !c.summarize || !in->service->take_completion(record)) return 0;
    CompletionSummary sum{};
    c.summarize(record, in->clock.khz(), &sum);
    *out = {sum.err_ns, sum.seq, sum.periods};
    return 1;
}

int osk_service_reload_check(const char* service, const void* running, const void* next, osk_config_error* err)
{
    const ServiceKind* k = find_service(service);
    ConfigError ce;
    if (k && k->reload_check(running, next, &ce)) return 0;
    *err = {k ? (ce.field ? ce.field : "config") : "service", k ? (ce.message ? ce.message : "refused") : "unknown service",
            ce.index, 0, 0, 0};
    return -1;
}

void osk_instance_post_reload(void* p, const void* config, unsigned int config_len)
{
    static_cast<Instance*>(p)->reload_bytes = config_len; // published by the release below
    __atomic_store_n(&static_cast<Instance*>(p)->reload, config, __ATOMIC_RELEASE);
}

int osk_instance_reload_taken(const void* p)
{
    return __atomic_load_n(&static_cast<const Instance*>(p)->reload, __ATOMIC_ACQUIRE) == nullptr;
}

unsigned int osk_stat_count(const void* p) { return static_cast<const Instance*>(p)->service->stat_count(); }
const char* osk_stat_name(const void* p, unsigned int i)
{
    return static_cast<const Instance*>(p)->service->stat_desc(i).name;
}
unsigned long long osk_stat_value(const void* p, unsigned int i)
{
    return static_cast<const Instance*>(p)->service->stat_value(i);
}
unsigned long long osk_loop_iterations(const void* p) { return static_cast<const Instance*>(p)->iterations.read(); }
unsigned long long osk_loop_idle(const void* p) { return static_cast<const Instance*>(p)->idle.read(); }
unsigned long long osk_rx_verdicts(const void* p, unsigned int v)
{
    const Instance* in = static_cast<const Instance*>(p);
    return v < static_cast<u32>(Verdict::Count) ? in->queue.verdicts[v].read() : 0;
}
unsigned long long osk_loop_gap_max_ns(const void* p)
{
    const Instance* in = static_cast<const Instance*>(p);
    CycleConverter conv;
    conv.init(in->clock.khz());
    return conv.to_ns(in->gap_max.read());
}
unsigned int osk_loop_effective_khz(const void* p)
{
    return static_cast<u32>(static_cast<const Instance*>(p)->effective_khz.read());
}
unsigned int osk_loop_effective_khz_min(const void* p)
{
    return static_cast<u32>(static_cast<const Instance*>(p)->effective_khz_min.read());
}

} // extern "C"
