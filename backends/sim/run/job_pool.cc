#include "backends/sim/run/job_pool.h"

#include <cerrno>
#include <cstring>
#include <deque>

#include <fmt/format.h>
#include <poll.h>
#include <sched.h>

#include "backends/sim/run/child_process.h"

namespace offsched::sim {

namespace {

struct Running {
    ChildProcess proc;
    size_t job = 0;
};

JobOutcome reap(Running& r)
{
    const ChildResult c = finish_child(r.proc);
    JobOutcome o;
    o.job = r.job;
    o.ok = c.ok();
    if (o.ok) o.text = c.text;
    else o.failure = c.describe();
    return o;
}

} // namespace

bool run_jobs(const std::vector<size_t>& todo, const std::function<std::string(size_t)>& body, const JobPoolOptions& options,
              const std::function<bool(const JobOutcome&)>& on_done, std::string* error)
{
    std::deque<size_t> queue(todo.begin(), todo.end());
    std::vector<Running> local;
    const size_t workers = options.remote ? options.remote->count() : 0;
    std::vector<bool> worker_busy(workers, false);
    size_t remote_running = 0;
    bool going = true; // false once on_done gave up or a fork failed: drain, start nothing
    const size_t parallel = options.parallel == 0 && workers == 0 ? 1 : options.parallel;

    auto hand_over = [&](const JobOutcome& o) {
        if (!on_done(o)) going = false;
    };
    while (true) {
        // Fill idle remote workers first: this process's own slots are the ones it can watch.
        for (size_t w = 0; going && w < workers && !queue.empty(); ++w)
            if (!worker_busy[w]) {
                options.remote->start(w, queue.front());
                queue.pop_front();
                worker_busy[w] = true;
                ++remote_running;
            }
        while (going && local.size() < parallel && !queue.empty()) {
            Running r;
            r.job = queue.front();
            const size_t job = r.job;
            if (!start_child([&body, job] { return body(job); }, &r.proc, error)) {
                going = false;
                break;
            }
            queue.pop_front();
            local.push_back(r);
        }
        if (local.empty() && remote_running == 0) break;

        // Wait for a local child to finish; with remote workers out, wake every millisecond to ask them.
        std::vector<pollfd> fds;
        for (const Running& r : local) fds.push_back({r.proc.fd, POLLIN, 0});
        const int timeout_ms = remote_running ? 1 : -1;
        const int n = fds.empty() ? 0 : ::poll(fds.data(), fds.size(), timeout_ms);
        if (fds.empty() && remote_running) ::poll(nullptr, 0, timeout_ms);
        if (n < 0 && errno != EINTR) {
            *error = fmt::format("poll: {}", std::strerror(errno));
            going = false;
        }
        for (size_t i = fds.size(); n > 0 && i-- > 0;)
            if (fds[i].revents) { // the child wrote its result and closed, or died: either way read to EOF
                hand_over(reap(local[i]));
                local.erase(local.begin() + static_cast<std::ptrdiff_t>(i));
            }
        size_t w = 0;
        JobOutcome o;
        while (remote_running && options.remote->poll(&w, &o)) {
            worker_busy[w] = false;
            --remote_running;
            hand_over(o);
        }
    }
    return going;
}

size_t usable_cpus()
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    const int n = CPU_COUNT(&set);
    return n > 0 ? static_cast<size_t>(n) : 1;
}

} // namespace offsched::sim
