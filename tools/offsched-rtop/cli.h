// offsched-rtop's command line, callable in-process (tests run it on a thread beside a sender).
#pragma once

#include <ostream>

namespace offsched::rtop_view {

enum RtopExit : int {
    kRtopOk = 0,
    kRtopTooFew = 1,     // --timeout passed before --count samples arrived
    kRtopUsage = 64,     // EX_USAGE
    kRtopCantBind = 71,  // EX_OSERR: the UDP address cannot be bound
};

// handle_signals: stop cleanly on SIGINT/SIGTERM (the executable; tests leave signals alone).
int run_rtop_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool handle_signals);

} // namespace offsched::rtop_view
