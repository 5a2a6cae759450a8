#include "backends/sim/machine/machine.h"

#include "backends/sim/companions/rt_jobs_result.h"
#include "backends/sim/run/design_checks.h"
#include "backends/sim/machine/rt_workloads.h"
#include "backends/sim/os/gro_probe.h"
#include "backends/sim/machine/rng.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace offsched::sim {

namespace {
constexpr uint32_t kBgHeaderBytes = 14 + 20 + 20 + 4; // Ethernet + IPv4 + TCP + FCS of a background frame

std::string design_label(const Scenario& s, size_t i)
{
    return fmt::format("{}design {} '{}'", s.file.empty() ? "" : s.file + ": ", i, s.designs[i].name);
}
} // namespace

void check_design(const Scenario& s, size_t i)
{
    if (i >= s.designs.size()) throw std::invalid_argument(fmt::format("no design {} (scenario has {})", i, s.designs.size()));
    const Design& d = s.designs[i];
    const SimParams& p = d.params;
    const std::string who = design_label(s, i);
    uint32_t nsec = 0;
    const ParamSection* secs = param_sections(&nsec);
    for (uint32_t k = 0; k < nsec; ++k) {
        const void* base = reinterpret_cast<const uint8_t*>(&p) + secs[k].offset;
        if (const FieldDesc* bad = schema_check_ranges(secs[k].schema, base, nullptr))
            throw std::invalid_argument(fmt::format("{}: {}.{} out of range [{}, {}]", who, secs[k].name, bad->name, bad->min, bad->max));
    }
    if (const DesignProblem e = parameter_problem(d); !e.ok()) throw std::invalid_argument(fmt::format("{}: {}: {}", who, e.field, e.message));
    if (d.kind == DesignKind::Baseline) {
        if (!d.offload_cores.empty()) throw std::invalid_argument(fmt::format("{}: a baseline design has no offload_cores", who));
        return;
    }
    if (d.offload_cores.empty()) throw std::invalid_argument(fmt::format("{}: offload_cores is empty", who));
    std::vector<uint32_t> seen;
    for (size_t k = 0; k < d.offload_cores.size(); ++k) {
        const uint32_t c = d.offload_cores[k];
        if (c >= p.machine.cores)
            throw std::invalid_argument(fmt::format("{}: offload_cores[{}] = {} is not a core (machine.cores = {})", who, k, c, p.machine.cores));
        if (std::find(seen.begin(), seen.end(), c) != seen.end())
            throw std::invalid_argument(fmt::format("{}: offload_cores[{}] = {} is listed twice", who, k, c));
        seen.push_back(c);
    }
    if (seen.size() >= p.machine.cores)
        throw std::invalid_argument(fmt::format("{}: offload_cores leaves no core for the OS", who));
    if (!d.service) throw std::invalid_argument(fmt::format("{}: no service", who));
    if (d.service_config.size() < d.service->config_size)
        throw std::invalid_argument(fmt::format("{}: service_config has {} bytes, service '{}' needs {}", who,
                                                d.service_config.size(), d.service->name, d.service->config_size));
    ConfigError err;
    if (!d.service->validate(d.service_config.data(), &err))
        throw std::invalid_argument(fmt::format("{}: service_config.{}: {}", who, err.field ? err.field : "?", err.message ? err.message : "invalid"));
    const ConfigData data = config_data(d.service_config.data(), d.service->config_size, d.service_config.size());
    const char* why = "";
    if (const FieldDesc* bad = schema_check_data(d.service->schema, d.service_config.data(), data.image, data.bytes, nullptr, &why))
        throw std::invalid_argument(fmt::format("{}: service_config.{}: {}", who, bad->name, why));
}

Machine::Machine(const Scenario& s, size_t di)
    : d_(s.designs.at(di)), p_(d_.params), rss_(p_.nic.queues, p_.nic.rss_indirection)
{
    check_design(s, di);
    tb_.freq_mhz = p_.machine.freq_mhz;
    const uint32_t cores = p_.machine.cores;
    const bool offsched = d_.kind == DesignKind::Offsched;
    const bool service_nic = offsched && p_.offload.owns_nic; // else the NIC interrupts OS cores
    os_index_.assign(cores, -1);
    for (uint32_t c = 0; c < cores; ++c)
        if (!offsched || std::find(d_.offload_cores.begin(), d_.offload_cores.end(), c) == d_.offload_cores.end())
            os_ids_.push_back(c);
    const uint32_t n_sshd = p_.os.sshd_cores && p_.os.sshd_cores < os_ids_.size() ? p_.os.sshd_cores : static_cast<uint32_t>(os_ids_.size());
    sshd_ids_.assign(os_ids_.begin(), os_ids_.begin() + n_sshd);

    usage_.resize(cores);
    for (uint32_t c = 0; c < cores; ++c) {
        usage_[c].core = c;
        usage_[c].role = std::find(os_ids_.begin(), os_ids_.end(), c) != os_ids_.end() ? "os" : std::string("service:") + d_.service->name;
    }
    irqc_ = std::make_unique<IrqController>("irqc", cores, p_.nic.queues);
    nic_ = std::make_unique<Nic>("nic", NicConfig{p_.nic.queues, p_.nic.ring_size, p_.nic.irq_coalesce_ns}, ledger_, irqc_.get());
    clients_ = std::make_unique<Clients>("clients", p_, *nic_, rss_, s.seed);
    wire_ = std::make_unique<MachineWire>(*clients_);
    listener_ = std::make_unique<Listener>(p_, ledger_, *clients_, *this, *wire_);
    rx_ = std::make_unique<OsRx>(p_.os, *listener_, &ledger_);
    rx_->app().configure(p_);
    rx_->configure_latency(p_.machine.freq_mhz, p_.run.warmup_ns);
    codec_ = std::make_unique<FrameCodec>(p_, rss_, *clients_, s.seed);

    if (offsched)
        for (size_t i = 0; i < os_ids_.size(); ++i) rings_.push_back(std::make_unique<HostRing>(p_.offload.host_ring_size));
    for (size_t i = 0; i < os_ids_.size(); ++i) {
        const uint32_t c = os_ids_[i];
        OsCore::Env env;
        env.p = &p_;
        env.tb = tb_;
        env.nic = nic_.get();
        env.rx = rx_.get();
        env.listener = listener_.get();
        env.clients = clients_.get();
        env.host_ring = offsched ? rings_[i].get() : nullptr;
        env.usage = &usage_[c];
        env.ledger = &ledger_;
        env.has_sshd = std::find(sshd_ids_.begin(), sshd_ids_.end(), c) != sshd_ids_.end();
        os_.push_back(std::make_unique<OsCore>(fmt::format("cpu{}", c).c_str(), c, env));
        os_index_[c] = static_cast<int>(i);
        irqc_->attach(c, os_.back().get());
    }

    if (!service_nic) {
        // Stock IRQ affinity: one vector per queue, spread over the OS cores (irqbalance-like).
        for (uint32_t q = 0; q < p_.nic.queues; ++q) irqc_->set_affinity(q, 1ull << (os_ids_[q % os_ids_.size()] % 64));
    }
    if (offsched) {
        std::vector<HostRing*> raw;
        for (auto& r : rings_) raw.push_back(r.get());
        const uint32_t seg = p_.background.frame_bytes > kBgHeaderBytes ? p_.background.frame_bytes - kBgHeaderBytes : 1;
        host_ = std::make_unique<SimHostPath>(os_ids_, raw, *codec_, *irqc_, p_.offload.ipi_latency_ns, ledger_, tally_, tb_, seg);
        for (uint32_t q = 0; q < p_.nic.queues && service_nic; ++q) {
            nic_->set_polled(q);
            nic_queues_.push_back(std::make_unique<SimNicQueue>(*nic_, q, *codec_, tb_, *clients_, tally_));
        }
        // The service owns the queues: queue q goes to offload core q % n. When it needs the
        // host's frames, each core gets those of the connections on its queues.
        const size_t n = d_.offload_cores.size();
        if (service_nic && d_.service->needs(d_.service_config.data()).host_tx) {
            std::vector<SimHostTx*> raw_tx;
            for (size_t k = 0; k < n; ++k) {
                host_tx_.push_back(std::make_unique<SimHostTx>(*codec_));
                raw_tx.push_back(host_tx_.back().get());
            }
            wire_->route_through(raw_tx);
        }
        for (size_t k = 0; k < n; ++k) {
            OffloadCore::Env env;
            env.p = &p_;
            env.tb = tb_;
            env.kind = d_.service;
            env.config = &d_.service_config;
            env.reloads = &d_.reloads;
            for (uint32_t q = static_cast<uint32_t>(k); q < nic_queues_.size(); q += static_cast<uint32_t>(n))
                env.queues.push_back(nic_queues_[q].get());
            if (k == 0 && !service_nic)
                if (SimNicQueue* q = rtop_port()) env.queues.push_back(q);
            env.host = host_.get();
            env.host_tx = host_tx_.empty() ? nullptr : host_tx_[k].get();
            env.usage = &usage_[d_.offload_cores[k]];
            offload_.push_back(std::make_unique<OffloadCore>(fmt::format("offload{}", d_.offload_cores[k]).c_str(),
                                                             d_.offload_cores[k], env));
        }
    }
    wire_rt_workloads();
    wire_rtop();
    wire_traffic(s.seed);
    std::vector<std::string> roles;
    for (const CoreUsage& u : usage_) roles.push_back(u.role);
    trace_ = std::make_unique<trace::TraceSession>(
        s.trace, trace::TraceLayout{d_.name, static_cast<uint32_t>(di), static_cast<uint32_t>(s.designs.size()), roles, p_.nic.queues,
                                    p_.run.duration_ns});
    if (!trace_->ok()) throw std::runtime_error(fmt::format("design '{}': {}", d_.name, trace_->error()));
}

Machine::~Machine() = default;

// Per-queue streams: a spoofed flood with random source ports hashes uniformly, so queue q gets
// the share of indirection entries pointing at it; background flows are placed by their hash.
// A flood is spread over the queues as RSS spreads it: each queue sees its share of a burst, its
// share of the wire apart, and poisson frames at least a frame's wire time apart (a random split
// of a random stream). A flood within 0.1 % of the wire's rate has no room to vary on the wire;
// its split is then modelled as even (constant streams), which keeps the line-rate runs as fast
// as they were. A background burst is one flow's train, on one queue, a frame's wire time apart.
void Machine::wire_traffic(uint64_t seed)
{
    const uint32_t Q = p_.nic.queues;
    const auto wire_ps = [&](uint32_t frame_bytes) { // preamble + IFG: 20 bytes
        return (static_cast<uint64_t>(frame_bytes) + 20) * 8 * 1000000 / p_.nic.line_rate_mbps;
    };
    std::vector<std::vector<uint32_t>> bg(Q);
    for (uint32_t f = 0; f < p_.background.flows; ++f)
        bg[rss_.queue(codec_->bg_ip(f), p_.machine.server_ip, codec_->bg_port(f), static_cast<uint16_t>(p_.background.dst_port))].push_back(f);
    for (uint32_t q = 0; q < Q; ++q) {
        const uint64_t flood_mpps = p_.flood.rate_pps * 1000 * rss_.entries_for(q) / rss_.entries();
        const uint64_t bg_mpps = p_.background.rate_pps * 1000 * bg[q].size() / p_.background.flows;
        ArrivalSpec flood{static_cast<Arrivals>(p_.flood.arrivals), flood_mpps, p_.flood.start_ns, p_.flood.stop_ns};
        const uint64_t share = rss_.entries_for(q), all = rss_.entries();
        flood.min_gap_ps = wire_ps(p_.flood.frame_bytes);
        flood.burst = static_cast<uint32_t>(std::max<uint64_t>(1, p_.flood.burst_packets * share / all));
        flood.burst_gap_ps = share ? flood.min_gap_ps * all / share : 0;
        if (flood.process == Arrivals::Poisson && p_.flood.rate_pps * flood.min_gap_ps * 1001 >= 1000000000000000ull)
            flood.process = Arrivals::Constant;
        flood.key = keyed_random_key(seed, kArrivalStreamKey + 2 * q);
        ArrivalSpec bgs{static_cast<Arrivals>(p_.background.arrivals), bg_mpps, 0, 0};
        bgs.min_gap_ps = bgs.burst_gap_ps = wire_ps(p_.background.frame_bytes);
        bgs.burst = p_.background.burst_packets;
        bgs.key = keyed_random_key(seed, kArrivalStreamKey + 2 * q + 1);
        nic_->set_streams(q, ArrivalStream(flood), ArrivalStream(bgs));
        codec_->set_bg_flows_of_queue(q, std::move(bg[q]));
        rx_->latency().set_stream(q, ArrivalStream(bgs));
        rx_->set_mergeable(q, bg_segments_continue(*codec_, q));
    }
}

void Machine::enqueue_accept(uint32_t conn, uint32_t from_core)
{
    uint32_t target = from_core;
    if (std::find(sshd_ids_.begin(), sshd_ids_.end(), from_core) == sshd_ids_.end())
        target = sshd_ids_[conn % sshd_ids_.size()];
    os_[os_index_[target]]->enqueue_accept(conn);
}

OsCore* Machine::os_core(uint32_t core) const
{
    return core < os_index_.size() && os_index_[core] >= 0 ? os_[os_index_[core]].get() : nullptr;
}

void Machine::run()
{
    if (ran_) throw std::logic_error("Machine::run called twice");
    ran_ = true;
    trace::sc_start_publishing(trace_->design_index(), p_.run.duration_ns); // sc_start, with progress for a watching terminal
    end_ps_ = now_ps();
    nic_->finish();
    for (auto& c : os_) {
        c->finish(end_ps_);
        for (const Slot& s : c->lrp_channel())
            if (s.kind == PktKind::Flood) ledger_.fate(FloodFate::InLrpChannel, s.count);
    }
    for (auto& c : offload_) c->finish(end_ps_);
    if (os_rt_) os_rt_->finish(end_ps_);
    if (channel_client_) channel_client_->finish();
    book_service_fates();
    std::string trace_error;
    if (!trace_->close(end_ps_ / 1000, &trace_error)) throw std::runtime_error(fmt::format("design '{}': {}", d_.name, trace_error));
}

// Frames taken by services, booked by the verdicts they reported (NicQueue::verdict): passed
// flood frames were booked by the OS listener (or are still in a host ring or found it full),
// the rest were answered or dropped. A service that took a frame and reported no verdict, or
// two, or passed a flood frame it reported otherwise, fails the run: the ledger would not add up.
void Machine::book_service_fates()
{
    const ServiceTally& t = tally_;
    std::string breach;
    if (t.undecided) breach = fmt::format("took {} frames and reported no verdict for them", t.undecided);
    else if (t.bad_verdicts) breach = fmt::format("reported {} verdicts for frames it did not take or had decided already", t.bad_verdicts);
    for (uint32_t k = 0; breach.empty() && k < ServiceTally::kKinds; ++k) {
        uint64_t decided = 0;
        for (uint64_t n : t.verdicts[k]) decided += n;
        if (decided != t.taken[k])
            breach = fmt::format("took {} {} frames but reported verdicts for {}", t.taken[k], pkt_kind_name(PktKind(k)), decided);
    }
    const uint64_t passed_flood = t.passed[static_cast<uint32_t>(PktKind::Flood)] + t.pass_failed[static_cast<uint32_t>(PktKind::Flood)];
    if (breach.empty() && t.verdict(PktKind::Flood, Verdict::Pass) != passed_flood)
        breach = fmt::format("reported {} flood frames passed to the host, but the host path saw {}",
                             t.verdict(PktKind::Flood, Verdict::Pass), passed_flood);
    if (!breach.empty())
        throw std::runtime_error(fmt::format("design '{}': service '{}' {} (NicQueue::verdict: one per frame taken)",
                                             d_.name, d_.service ? d_.service->name : "?", breach));
    uint64_t in_ring = 0;
    for (auto& r : rings_)
        for (const Slot& s : r->contents())
            if (s.kind == PktKind::Flood) in_ring += s.count;
    ledger_.fate(FloodFate::InHostRing, in_ring);
    ledger_.fate(FloodFate::HostRingFull, t.pass_failed[static_cast<uint32_t>(PktKind::Flood)]);
    ledger_.fate(FloodFate::ServiceAnswered, t.verdict(PktKind::Flood, Verdict::Answer));
    ledger_.fate(FloodFate::ServiceDropped, t.verdict(PktKind::Flood, Verdict::Drop));
    for (uint32_t k = 0; k < ServiceTally::kKinds; ++k) ledger_.drop(Drop::Service, t.verdict(PktKind(k), Verdict::Drop));
}

// Established-flow receive: segments delivered to sockets, NIC-to-socket latency, and the
// doorbell IPIs that woke OS cores.
void Machine::fill_rx(DesignResult& r) const
{
    const RxLatency& l = rx_->latency();
    r.rx.delivered = l.delivered();
    const uint64_t window = r.sim_ns > p_.run.warmup_ns ? r.sim_ns - p_.run.warmup_ns : 0;
    r.rx.delivered_pps = window ? l.measured() * 1000000000ull / window : 0;
    r.rx.latency_p50_ns = l.percentile_ns(500);
    r.rx.latency_p99_ns = l.percentile_ns(990);
    r.rx.latency_max_ns = l.max_ns();
    r.rx.doorbells = host_ ? host_->rung() : 0;
    for (uint32_t q = 0; q < nic_->queues(); ++q) r.rx.nic_irqs += nic_->irqs_raised(q);
    for (const CoreUsage& u : r.cores)
        if (u.role == "os")
            for (CpuMode m : {CpuMode::Hardirq, CpuMode::Softirq, CpuMode::Ksoftirqd}) r.rx.os_cycles += u.cycles[static_cast<uint32_t>(m)];
    r.rx.os_cycles_per_packet = r.rx.delivered ? (r.rx.os_cycles + r.rx.delivered / 2) / r.rx.delivered : 0;
}

DesignResult Machine::result() const
{
    DesignResult r;
    r.design = d_.name;
    r.sim_ns = end_ps_ / 1000;
    const LegitSummary ls = clients_->summary(r.sim_ns);
    r.legit_attempts = ls.attempts;
    r.legit_established = ls.established;
    r.legit_success_ppm = ls.success_ppm;
    r.legit_per_s = ls.per_s;
    r.connect_p50_ns = ls.p50_ns;
    r.connect_p99_ns = ls.p99_ns;
    r.connect_max_ns = ls.max_ns;
    r.goodput_bps = r.sim_ns ? static_cast<uint64_t>(static_cast<unsigned __int128>(ls.established) * p_.legit.payload_bytes * 8 *
                                                     1000000000ull / r.sim_ns)
                             : 0;
    r.flood_offered = ledger_.arrivals[static_cast<uint32_t>(PktKind::Flood)];
    r.backscatter_synacks = listener_->backscatter() + tally_.answered_flood;
    r.backscatter_pps = r.sim_ns ? r.backscatter_synacks * 1000000000ull / r.sim_ns : 0;
    r.legit_bad_segments = clients_->bad_segments();
    r.flood_fate = ledger_.fate_list();
    r.drops = ledger_.drop_list();
    r.cores = usage_;
    if (!offload_.empty()) {
        Service& s0 = offload_.front()->service();
        for (u32 i = 0; i < s0.stat_count(); ++i) {
            const bool max = s0.stat_desc(i).merge == StatMerge::Max;
            uint64_t v = 0;
            for (const auto& o : offload_) {
                const uint64_t x = o->service().stat_value(i);
                v = max ? std::max(v, x) : v + x;
            }
            r.service_stats.emplace_back(s0.stat_desc(i).name, v);
        }
    }
    for (uint64_t a : ledger_.arrivals) r.packets_simulated += a;
    rx_->app().fill(r);
    fill_rx(r);
    if (os_rt_) os_rt_->fill(r);
    if (channel_client_) channel_client_->fill(r);
    if (rt_service_) fill_rt_jobs_result(*rt_service_, r);
    if (rtop_) rtop_->fill(r);
    return r;
}

} // namespace offsched::sim
