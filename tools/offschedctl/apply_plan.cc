#include "tools/offschedctl/apply_plan.h"

#include <algorithm>

#include <boost/uuid/detail/sha1.hpp>
#include <fmt/format.h>

namespace offsched::ctl {

// The service and its config in hex; a config's prefix sets (up to 256 MiB) by their SHA-1, so
// a refreshed list file still means a reload while the record stays one short line.
std::string applied_record(const WantedCpu& w)
{
    std::string out = std::string(w.kind->name) + " ";
    const size_t pod = std::min<size_t>(w.config.size(), w.kind->config_size);
    for (size_t i = 0; i < pod; ++i) out += fmt::format("{:02x}", w.config[i]);
    if (w.config.size() > pod) {
        boost::uuids::detail::sha1 sha;
        sha.process_bytes(w.config.data() + pod, w.config.size() - pod);
        boost::uuids::detail::sha1::digest_type d;
        sha.get_digest(d);
        out += " sets-sha1:";
        for (unsigned word : d) out += fmt::format("{:08x}", word);
    }
    return out;
}

std::vector<Action> plan_apply(const std::vector<WantedCpu>& want, const ModuleStatus& now,
                               const std::map<uint32_t, std::string>& applied)
{
    std::vector<Action> out;
    for (const WantedCpu& w : want) {
        auto it = std::find_if(now.cpus.begin(), now.cpus.end(), [&](const CpuStatus& c) { return c.cpu == w.cpu; });
        Action a{Step::Attach, w.cpu, &w, ""};
        if (it != now.cpus.end()) {
            a.running = it->service;
            // Another service, or the file names another NIC: only a fresh attach changes those.
            if (it->service != w.kind->name || (!w.nic.empty() && it->nic != w.nic)) a.step = Step::Replace;
            else {
                auto rec = applied.find(w.cpu);
                a.step = rec != applied.end() && rec->second == applied_record(w) ? Step::Keep : Step::Reload;
            }
        }
        out.push_back(a);
    }
    for (const CpuStatus& c : now.cpus)
        if (std::none_of(want.begin(), want.end(), [&](const WantedCpu& w) { return w.cpu == c.cpu; }))
            out.push_back({Step::Detach, c.cpu, nullptr, c.service});
    // Detaches first: they free NIC queue pairs an attach elsewhere may need.
    auto rank = [](Step s) { return s == Step::Detach ? 0 : s == Step::Replace ? 1 : 2; };
    std::stable_sort(out.begin(), out.end(), [&](const Action& a, const Action& b) {
        return rank(a.step) != rank(b.step) ? rank(a.step) < rank(b.step) : a.cpu < b.cpu;
    });
    return out;
}

} // namespace offsched::ctl
