#include "tools/offschedctl/sysfs_status.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace offsched::ctl {

namespace fs = std::filesystem;

namespace {

std::string read_line(const fs::path& p)
{
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    return s;
}

std::vector<std::string> read_lines(const fs::path& p)
{
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string s; std::getline(in, s);)
        if (!s.empty()) out.push_back(s);
    return out;
}

Counters read_counters(const fs::path& dir)
{
    Counters out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        out.emplace_back(e.path().filename().string(), std::stoull("0" + read_line(e.path())));
    std::sort(out.begin(), out.end());
    return out;
}

// The service's counters in its StatDesc order (cpuN/stat_names; a directory has no order).
// Names the list lacks (a module without stat_names) follow, sorted.
Counters read_service_counters(const fs::path& cpu_dir)
{
    Counters sorted = read_counters(cpu_dir / "stats"), out;
    for (const std::string& name : read_lines(cpu_dir / "stat_names")) {
        auto it = std::find_if(sorted.begin(), sorted.end(), [&](const auto& c) { return c.first == name; });
        if (it == sorted.end()) continue;
        out.push_back(std::move(*it));
        sorted.erase(it);
    }
    out.insert(out.end(), sorted.begin(), sorted.end());
    return out;
}

} // namespace

ModuleStatus read_status(const std::string& root)
{
    ModuleStatus st;
    st.services = read_lines(fs::path(root) / "services");
    st.nics = read_lines(fs::path(root) / "nics");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec)) {
        const std::string name = e.path().filename().string();
        if (!e.is_directory() || name.rfind("cpu", 0) != 0) continue;
        CpuStatus c;
        c.cpu = static_cast<uint32_t>(std::stoul(name.substr(3)));
        c.service = read_line(e.path() / "service");
        c.state = read_line(e.path() / "state");
        c.nic = read_line(e.path() / "nic");
        c.netdev = read_line(e.path() / "netdev");
        c.queue = read_line(e.path() / "queue");
        c.stats = read_service_counters(e.path());
        c.backend = read_counters(e.path() / "backend");
        st.cpus.push_back(std::move(c));
    }
    std::sort(st.cpus.begin(), st.cpus.end(), [](const auto& a, const auto& b) { return a.cpu < b.cpu; });
    return st;
}

} // namespace offsched::ctl
