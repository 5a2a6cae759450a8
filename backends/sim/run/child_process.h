// Runs a function in a forked child and brings its text result back over a pipe. SystemC can
// elaborate only once per process, so every simulation (simulate(), tests, bench) runs this way.
#pragma once

#include <functional>
#include <string>

#include <sys/types.h>

namespace offsched::sim {

struct ChildProcess {
    pid_t pid = -1;
    int fd = -1;
};

// Forks; the child runs body, writes what it returns to the pipe and _exit()s (status 3 if the
// write failed). False with *error set if the fork or pipe failed.
bool start_child(const std::function<std::string()>& body, ChildProcess* out, std::string* error);

struct ChildResult {
    std::string text;
    bool exited = false; // exited normally (exit_code valid)
    int exit_code = -1;
    int signal = 0;      // killing signal, when !exited
    // "exit status N" / "killed by signal N (name)"
    std::string describe() const;
    bool ok() const { return exited && exit_code == 0; }
};

// Reads the child's output to EOF and reaps it.
ChildResult finish_child(ChildProcess& c);

} // namespace offsched::sim
