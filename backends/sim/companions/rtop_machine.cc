// Machine's rtop wiring: the service's own transmit port when the NIC stays with the OS (as on
// the kernel backend, where rtop owns a NIC of its own), the companion (publisher or agent) and
// the observer that receives what the service transmits.
#include <stdexcept>

#include <fmt/format.h>

#include "backends/sim/machine/machine.h"

namespace offsched::sim {

namespace {
// A design whose offloaded service reads the OS statistics the host publishes (rtop streams them).
bool runs_rtop(const Design& d) { return d.kind == DesignKind::Offsched && d.service && d.service->channels.os_stats; }
} // namespace

// A one-queue NIC with no traffic, polled by the service: it only ever transmits.
SimNicQueue* Machine::rtop_port()
{
    if (!runs_rtop(d_)) return nullptr;
    rtop_nic_ = std::make_unique<Nic>("rtop_nic", NicConfig{1, 8, 0}, ledger_, nullptr);
    rtop_nic_->set_polled(0);
    rtop_nic_->set_streams(0, ArrivalStream(), ArrivalStream());
    rtop_queue_ = std::make_unique<SimNicQueue>(*rtop_nic_, 0, *codec_, tb_, *clients_, tally_);
    return rtop_queue_.get();
}

void Machine::wire_rtop()
{
    const bool service = runs_rtop(d_);
    const OsStatsParams& o = p_.os_stats;
    if (!service && o.agent_ns == 0) return;
    const std::string who = fmt::format("design '{}'", d_.name);
    if (o.core >= os_index_.size() || os_index_[o.core] < 0)
        throw std::invalid_argument(fmt::format("{}: os_stats.core = {} is not a core the OS runs", who, o.core));
    if (service && offload_.size() != 1)
        throw std::invalid_argument(fmt::format("{}: rtop runs on one offload core (offload_cores has {})", who, offload_.size()));
    RtopCompanion::Env env;
    env.p = &p_;
    env.tb = tb_;
    env.usage = &usage_;
    for (uint32_t c = 0; c < p_.machine.cores; ++c) env.os_by_core.push_back(os_core(c));
    env.interval_ns = o.agent_ns;
    if (service) {
        env.shared = offload_.front()->service().os_stats_page();
        // The observer is a remote rtop viewer: it listens where the service says it streams,
        // and expects a sample as often (ChannelSpec::streams_to). A service that only reads
        // the OS statistics gets them published all the same, with no one listening.
        const ChannelSpec& c = d_.service->channels;
        env.observe = c.streams_to != nullptr;
        if (env.observe) {
            StreamTarget t{};
            c.streams_to(d_.service_config.data(), &t);
            env.port = t.udp_port;
            env.interval_ns = t.interval_ns;
        }
    }
    rtop_ = std::make_unique<RtopCompanion>("rtop_os", env);
    if (!service || !env.observe) return;
    for (auto& q : nic_queues_) q->set_tap(rtop_.get());
    if (rtop_queue_) rtop_queue_->set_tap(rtop_.get());
}

} // namespace offsched::sim
