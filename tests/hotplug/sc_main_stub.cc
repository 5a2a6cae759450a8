// libsystemc.so's own main() references sc_main. These programs have their own main() and use
// SystemC as a library (run_hotplug drives sc_start itself), so sc_main is never called.
extern "C" int sc_main(int, char**) { return 1; }
