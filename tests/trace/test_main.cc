#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// libsystemc.so's own main() calls sc_main; Catch's main() replaces it here, but the library's
// reference must still resolve. Tests call sc_start directly.
extern "C" int sc_main(int, char**) { return 1; }
