#include "tools/offschedctl/apply_run.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "tools/lib/atomic_file.h"
#include "tools/offschedctl/module_client.h"

namespace offsched::ctl {

namespace fs = std::filesystem;

namespace {

std::string state_file(const std::string& dir, uint32_t cpu) { return dir + "/cpu" + std::to_string(cpu); }

void record(const std::string& dir, const WantedCpu& w)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string error;
    if (!tools::write_file_atomically(state_file(dir, w.cpu), applied_record(w) + "\n", &error))
        fmt::print(stderr, "offschedctl: cpu{}: applied, but its record was not written ({}): the next apply reloads it\n",
                   w.cpu, error);
}

void forget(const std::string& dir, uint32_t cpu)
{
    std::error_code ec;
    fs::remove(state_file(dir, cpu), ec);
}

CommandResult attach_wanted(const WantedCpu& w) { return attach(w.cpu, w.kind->name, w.nic, w.deployed); }

// One CPU: what the step says, then the record. Prints one line; false on failure.
bool apply_one(const Action& a, const std::string& dir)
{
    const auto say = [&](const std::string& what) { fmt::print("cpu{}: {}\n", a.cpu, what); };
    const auto failed = [&](const std::string& what, const std::string& why) {
        fmt::print(stderr, "offschedctl: cpu{}: {}: {}\n", a.cpu, what, why);
        return false;
    };
    switch (a.step) {
    case Step::Keep:
        say(fmt::format("{} unchanged", a.want->kind->name));
        return true;
    case Step::Detach: {
        const CommandResult r = detach(a.cpu);
        if (!r.ok) return failed("detach " + a.running, r.error);
        forget(dir, a.cpu);
        say(fmt::format("{} detached (no longer in the file), back online", a.running));
        return true;
    }
    case Step::Replace: {
        const CommandResult d = detach(a.cpu);
        if (!d.ok) return failed(fmt::format("detach {} (to run {})", a.running, a.want->kind->name), d.error);
        forget(dir, a.cpu);
        const CommandResult r = attach_wanted(*a.want);
        if (!r.ok) return failed(fmt::format("{} detached, attach {}", a.running, a.want->kind->name), r.error);
        record(dir, *a.want);
        say(fmt::format("{} replaced by {}", a.running, a.want->kind->name));
        return true;
    }
    case Step::Reload: {
        const CommandResult r = reload(a.cpu, a.want->kind->name, a.want->deployed);
        if (r.ok) {
            record(dir, *a.want);
            say(fmt::format("{} reloaded, still running", a.want->kind->name));
            return true;
        }
        // What the running service cannot take in place (a timer's config, a proxy's ports)
        // needs a fresh start: the file asks for that state.
        const CommandResult d = detach(a.cpu);
        if (!d.ok) return failed("reload refused (" + r.error + "), and detach", d.error);
        forget(dir, a.cpu);
        const CommandResult at = attach_wanted(*a.want);
        if (!at.ok) return failed("reload refused (" + r.error + "), detached, attach", at.error);
        record(dir, *a.want);
        say(fmt::format("{} restarted: {}", a.want->kind->name, r.error));
        return true;
    }
    case Step::Attach: {
        const CommandResult r = attach_wanted(*a.want);
        if (!r.ok) return failed("attach " + std::string(a.want->kind->name), r.error);
        record(dir, *a.want);
        say(fmt::format("{} attached", a.want->kind->name));
        return true;
    }
    }
    return false;
}

} // namespace

std::map<uint32_t, std::string> read_applied(const std::string& dir)
{
    std::map<uint32_t, std::string> out;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir, ec)) {
        const std::string name = f.path().filename().string();
        if (name.rfind("cpu", 0) != 0 || name.size() == 3 || name.size() > 9 ||
            name.find_first_not_of("0123456789", 3) != std::string::npos)
            continue;
        std::ifstream in(f.path());
        std::string line;
        std::getline(in, line);
        out[static_cast<uint32_t>(std::stoul(name.substr(3)))] = line;
    }
    return out;
}

int run_apply(const std::vector<Action>& plan, const std::string& dir)
{
    int failures = 0;
    for (const Action& a : plan) failures += !apply_one(a, dir);
    return failures;
}

} // namespace offsched::ctl
