// What one simulation run is asked to do: the machine, the OS, the traffic, and the designs to
// compare on the same traffic. Filled by the scenario loader (tools/lib), consumed by the model.
// SimParams fields are declared in params.h together with their schema (one source of truth).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim/run/params.h"
#include "backends/sim/trace/trace_options.h"
#include "services/registry.h"

namespace offsched::sim {

enum class DesignKind : uint32_t {
    Baseline, // stock host: every core runs the OS, NIC interrupts spread by IRQ affinity
    Offsched, // offload_cores taken out of the OS, each running `service` and polling its queues
};

// A new config the service takes while running (hitless reload), at a simulated time.
struct ConfigReload {
    uint64_t at_ns = 0;
    std::vector<uint8_t> config; // the config blob (model/service.h), validated and reload-checked against the one before
};

// What online CPUs post to the service's request ring during the run, in the service's own text
// form (as written to the kernel's cpuN/request): first at at_ns, then every every_ns (0: once)
// until `count` were posted (0 with every_ns: to the end of the run).
struct ChannelRequest {
    uint64_t at_ns = 0;
    uint64_t every_ns = 0;
    uint64_t count = 1;
    std::string text;
};

struct Design {
    std::string name;                      // as the scenario names it (column header)
    DesignKind kind = DesignKind::Baseline;
    std::vector<uint32_t> offload_cores;   // Offsched only
    const offsched::ServiceKind* service = nullptr; // Offsched only
    std::vector<uint8_t> service_config;   // the config blob (model/service.h), already validated
    std::vector<ConfigReload> reloads;     // Offsched only, ascending times
    std::vector<ChannelRequest> requests;  // Offsched only, to a service with a request ring
    SimParams params;                      // scenario params with this design's overrides
};

struct Scenario {
    std::string name;
    std::string description;
    std::string file;  // path it was loaded from ("" when built in code)
    uint64_t seed = 1;
    std::vector<Design> designs;
    trace::TraceOptions trace; // what each design's child records (--trace, --vcd, --plot); all off by default
};

} // namespace offsched::sim
