// offsched-sim's exit codes follow sysexits.h so scripts can tell what failed.
#pragma once

namespace offsched::tools {

enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 64,      // EX_USAGE: bad command line
    kExitBadInput = 65,   // EX_DATAERR: the scenario or a --set value is invalid
    kExitNoInput = 66,    // EX_NOINPUT: the scenario file cannot be read
    kExitSimFailed = 70,  // EX_SOFTWARE: a simulation run failed
    kExitCantWrite = 73,  // EX_CANTCREAT: an output file cannot be written
};

} // namespace offsched::tools
