// simulate(): one forked child per design (SystemC elaborates once per process), `parallel` at a time.
// A child writes "OK\n<json>" or "ERROR\n<message>" to its pipe; the parent reports a child
// that crashed or wrote nothing with the design's name and the signal or exit status.
#include "backends/sim/run/simulate.h"

#include <cstdlib>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "backends/sim/run/job_pool.h"
#include "backends/sim/machine/machine.h"

namespace offsched::sim {

DesignResult simulate_design_in_process(const Scenario& s, size_t design_index)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    Machine m(s, design_index);
    m.run();
    return m.result();
}

std::string design_job(const Scenario& s, size_t design_index)
{
    try {
        return "OK\n" + to_json(simulate_design_in_process(s, design_index)).dump();
    } catch (const std::exception& e) {
        return std::string("ERROR\n") + e.what();
    }
}

bool design_job_result(const std::string& design, const JobOutcome& o, DesignResult* out, std::string* error)
{
    const std::string who = fmt::format("design '{}'", design);
    if (o.ok && o.text.rfind("ERROR\n", 0) == 0) {
        *error = o.text.substr(6);
        return false;
    }
    if (!o.ok || o.text.rfind("OK\n", 0) != 0) {
        *error = fmt::format("{}: simulation process {} without a result", who, o.ok ? "ended" : o.failure);
        return false;
    }
    try {
        *out = design_result_from_json(nlohmann::ordered_json::parse(o.text.substr(3)));
    } catch (const std::exception& e) {
        *error = fmt::format("{}: unreadable result: {}", who, e.what());
        return false;
    }
    return true;
}

bool simulate(const Scenario& s, std::vector<DesignResult>* out, std::string* error, size_t parallel, RemoteWorkers* remote)
{
    out->assign(s.designs.size(), DesignResult{});
    std::vector<size_t> todo;
    for (size_t i = 0; i < s.designs.size(); ++i) todo.push_back(i);
    std::string failed;
    const bool ok = run_jobs(
        todo, [&s](size_t i) { return design_job(s, i); }, JobPoolOptions{parallel, remote},
        [&](const JobOutcome& o) {
            std::string e;
            if (design_job_result(s.designs[o.job].name, o, &(*out)[o.job], &e)) return true;
            if (failed.empty()) failed = e;
            return false;
        },
        error);
    if (!failed.empty()) *error = failed;
    return ok && failed.empty();
}

} // namespace offsched::sim
