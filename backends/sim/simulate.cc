// simulate(): one forked child per design (SystemC elaborates once per process), two at a time.
// A child writes "OK\n<json>" or "ERROR\n<message>" to its pipe; the parent reports a child
// that crashed or wrote nothing with the design's name and the signal or exit status.
#include "backends/sim/simulate.h"

#include <cstdlib>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "backends/sim/child_process.h"
#include "backends/sim/machine.h"

// libsystemc's own main() calls sc_main; our executables have their own main, but the symbol
// must exist for the library to link.
int sc_main(int, char*[]) { return 1; }

namespace offsched::sim {

DesignResult simulate_design_in_process(const Scenario& s, size_t design_index)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    Machine m(s, design_index);
    m.run();
    return m.result();
}

namespace {

struct Child {
    ChildProcess proc;
    size_t design = 0;
};

std::string run_design(const Scenario& s, size_t i)
{
    try {
        return "OK\n" + to_json(simulate_design_in_process(s, i)).dump();
    } catch (const std::exception& e) {
        return std::string("ERROR\n") + e.what();
    }
}

bool collect(const Scenario& s, Child& c, DesignResult* out, std::string* error)
{
    const ChildResult r = finish_child(c.proc);
    const std::string who = fmt::format("design '{}'", s.designs[c.design].name);
    if (r.text.rfind("ERROR\n", 0) == 0) {
        *error = r.text.substr(6);
        return false;
    }
    if (!r.ok() || r.text.rfind("OK\n", 0) != 0) {
        *error = fmt::format("{}: simulation process {} without a result", who, r.describe());
        return false;
    }
    try {
        *out = design_result_from_json(nlohmann::ordered_json::parse(r.text.substr(3)));
    } catch (const std::exception& e) {
        *error = fmt::format("{}: unreadable result: {}", who, e.what());
        return false;
    }
    return true;
}

} // namespace

bool simulate(const Scenario& s, std::vector<DesignResult>* out, std::string* error)
{
    constexpr size_t kParallel = 2; // the machines this runs on are small; more only thrashes
    out->assign(s.designs.size(), DesignResult{});
    for (size_t base = 0; base < s.designs.size(); base += kParallel) {
        std::vector<Child> running;
        bool ok = true;
        for (size_t i = base; i < s.designs.size() && i < base + kParallel && ok; ++i) {
            Child c;
            c.design = i;
            std::string e;
            ok = start_child([&s, i] { return run_design(s, i); }, &c.proc, &e);
            if (ok) running.push_back(c);
            else *error = fmt::format("design '{}': {}", s.designs[i].name, e);
        }
        for (Child& c : running) { // always reap every child started
            std::string e;
            if (!collect(s, c, &(*out)[c.design], &e) && ok) {
                ok = false;
                *error = e;
            }
        }
        if (!ok) return false;
    }
    return true;
}

} // namespace offsched::sim
