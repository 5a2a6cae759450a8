// libsystemc's own main() calls sc_main (declared extern "C" by <systemc>). Our executables have
// their own main, but the symbol must exist for the library to link; it is never called.
extern "C" int sc_main(int, char*[]) { return 1; }
