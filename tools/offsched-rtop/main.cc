// offsched-rtop: the admin's end of "remote top".
//   offsched-rtop [--port 7171] [--json] [--count N] [--timeout 10s]
#include <iostream>

#include "tools/offsched-rtop/cli.h"

int main(int argc, char** argv)
{
    return offsched::rtop_view::run_rtop_cli(argc, argv, std::cout, std::cerr, true);
}
