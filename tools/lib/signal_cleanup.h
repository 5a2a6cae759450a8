// What an interrupted tool must not leave behind. Files registered here (temporaries, partial
// outputs) are removed when SIGINT, SIGTERM or SIGHUP arrives; then the signal's default action
// runs, so the exit status still says which signal ended the tool. The handler only calls
// unlink(2) on paths copied into a fixed table at registration: async-signal-safe. Forked
// children inherit the handler (and remove the same files if signalled themselves).
#pragma once

#include <csignal>
#include <cstdint>
#include <string>

namespace offsched::tools {

// Installs the handlers (once; later calls do nothing).
void install_signal_cleanup();
// Registers a path to remove on those signals (false when the table is full).
bool remove_on_signal(const std::string& path);
// Forgets a path (its temporary became the output: it must stay).
void keep_on_signal(const std::string& path);

// A line written to stderr when one of those signals ends the tool: `before`, the current value
// of the counter set with signal_note_count(), `after` (a sweep says how many points it kept).
// Copied at registration into fixed buffers; the handler only write(2)s them.
void set_signal_note(const std::string& before, const std::string& after);
void signal_note_count(uint64_t n);

// Holds those signals back while it lives, so that what a handler would report (a result kept
// and the count the note says) is never caught half done; one that arrived meanwhile is
// delivered when it ends.
class SignalsHeld {
public:
    SignalsHeld();
    ~SignalsHeld();
    SignalsHeld(const SignalsHeld&) = delete;
    SignalsHeld& operator=(const SignalsHeld&) = delete;

private:
    sigset_t old_;
};

} // namespace offsched::tools
