#include "backends/sim/run/design_checks.h"

#include <fmt/format.h>


namespace offsched::sim {

DesignProblem parameter_problem(const Design& d)
{
    const SimParams& p = d.params;
    if (p.legit.client_net.prefix_len > 30)
        return {"legit.client_net", "needs a prefix of at most /30 (the clients need addresses)"};
    if (p.flood.src_net6.family != 6 || p.flood.src_net6.prefix_len > 64)
        return {"flood.src_net6", "needs an IPv6 prefix of at most /64 (each source is a random address in it)"};
    if (p.legit.client_net6.family != 6 || p.legit.client_net6.prefix_len > 64)
        return {"legit.client_net6", "needs an IPv6 prefix of at most /64 (a client's index is its low 64 bits)"};
    if ((p.nic.rss_indirection & (p.nic.rss_indirection - 1)) != 0)
        return {"nic.rss_indirection", fmt::format("{} is not a power of two (the NIC indexes it with hash bits)", p.nic.rss_indirection)};
    if (d.kind == DesignKind::Offsched && d.service && d.service_config.size() >= d.service->config_size) {
        const ServiceNeeds needs = d.service->needs(d.service_config.data());
        if (needs.host_tx && !p.offload.owns_nic)
            return {"offload.owns_nic", fmt::format("service '{}' with this config handles the host's transmitted frames, "
                                                    "which needs the NIC: set it to 1", d.service->name)};
        if (!needs.nic && p.offload.owns_nic)
            return {"offload.owns_nic", fmt::format("service '{}' uses no NIC (it never takes a frame), so the NIC "
                                                    "would go unpolled: set it to 0", d.service->name)};
    }
    return rt_workload_problem(d);
}

} // namespace offsched::sim
