// offsched-sim-doc: prints docs/MODEL.md's generated parameter tables, or rewrites them in place
// (--update FILE) after a parameter, default or source changed in backends/sim/run/params.cc.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "backends/sim/run/model_doc.h"

int main(int argc, char** argv)
{
    using namespace offsched::sim;
    const std::string tables = model_doc_tables();
    if (argc == 1) {
        std::fputs(tables.c_str(), stdout);
        return 0;
    }
    if (argc != 3 || std::string(argv[1]) != "--update") {
        std::fprintf(stderr, "usage: %s [--update docs/MODEL.md]\n", argv[0]);
        return 64;
    }
    std::ifstream in(argv[2]);
    if (!in) {
        std::fprintf(stderr, "%s: cannot read\n", argv[2]);
        return 66;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string out;
    if (!replace_generated_block(ss.str(), tables, &out)) {
        std::fprintf(stderr, "%s: markers %s ... %s not found\n", argv[2], kModelDocBegin, kModelDocEnd);
        return 65;
    }
    std::ofstream(argv[2]) << out;
    return 0;
}
