// Scenarios built in code for the sim tests (independent of the YAML loader), and a one-call
// runner that goes through simulate() (one forked child per design, as the CLI does).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "backends/sim/run/simulate.h"
#include "tests/sim/simulate_checked.h"
#include "services/registry.h"

namespace simtest {

using namespace offsched;
using namespace offsched::sim;

// Default machine and traffic, shortened: attempts are counted in [warmup, duration - timeout).
inline SimParams short_params(uint64_t duration_ns, uint64_t warmup_ns, uint64_t connect_timeout_ns, uint64_t flood_pps)
{
    SimParams p = default_params();
    p.run.duration_ns = duration_ns;
    p.run.warmup_ns = warmup_ns;
    p.legit.connect_timeout_ns = connect_timeout_ns;
    p.flood.rate_pps = flood_pps;
    return p;
}

inline Design baseline(const SimParams& p, std::string name = "baseline")
{
    Design d;
    d.name = std::move(name);
    d.kind = DesignKind::Baseline;
    d.params = p;
    return d;
}

// Sets a scalar field of a service config by its schema name (keeps tests off the service's
// private header: only the registry and the schema are used, as the loader does).
inline void set_field(const ServiceKind& k, std::vector<uint8_t>& cfg, const char* name, uint32_t v)
{
    for (u32 i = 0; i < k.schema.count; ++i) {
        const FieldDesc& f = k.schema.fields[i];
        if (std::strcmp(f.name, name) != 0) continue;
        if (f.type == FieldType::Bool) {
            const bool b = v != 0;
            std::memcpy(cfg.data() + f.offset, &b, sizeof b);
        } else {
            std::memcpy(cfg.data() + f.offset, &v, sizeof v);
        }
        return;
    }
    FAIL("service config has no field " << name);
}

// The firewall as the offsched design runs it against a SYN flood on ssh: the SYN proxy on port
// 22, no global SYN limit (it would ration legit SYNs together with the flood).
inline std::vector<uint8_t> firewall_synproxy_config(uint32_t port)
{
    const ServiceKind* k = find_service("firewall");
    REQUIRE(k != nullptr);
    std::vector<uint8_t> cfg(k->config_size);
    k->defaults(cfg.data());
    set_field(*k, cfg, "synproxy", 1);
    set_field(*k, cfg, "syn_limit", 0);
    set_field(*k, cfg, "synproxy_port_min", port);
    set_field(*k, cfg, "synproxy_port_max", port);
    set_field(*k, cfg, "synproxy_connections", 4096);
    return cfg;
}

inline Design offsched_design(const SimParams& p, std::vector<uint32_t> cores, std::string name = "offsched")
{
    Design d;
    d.name = std::move(name);
    d.kind = DesignKind::Offsched;
    d.offload_cores = std::move(cores);
    d.service = find_service("firewall");
    d.service_config = firewall_synproxy_config(p.machine.ssh_port);
    d.params = p;
    return d;
}

inline std::vector<DesignResult> run(std::vector<Design> designs, uint64_t seed = 1)
{
    Scenario s;
    s.name = "test";
    s.seed = seed;
    s.designs = std::move(designs);
    return simulate_checked(s);
}

inline uint64_t value_of(const std::vector<std::pair<std::string, uint64_t>>& v, const std::string& key)
{
    for (const auto& [k, n] : v)
        if (k == key) return n;
    FAIL("no key " << key);
    return 0;
}

} // namespace simtest
