#include "backends/sim/companions/rt_companion.h"

#include <cstring>

namespace offsched::sim {

void fill_rt_result(const Service& s, DesignResult& r)
{
    r.rt_path = "offsched_rt";
    for (u32 i = 0; i < s.stat_count(); ++i) {
        const char* name = s.stat_desc(i).name;
        const uint64_t v = s.stat_value(i);
        if (std::strcmp(name, "releases") == 0) r.rt_releases = v;
        else if (std::strcmp(name, "deadline_misses") == 0) r.rt_deadline_misses = v;
        else if (std::strcmp(name, "overruns") == 0) r.rt_overruns = v;
        else if (std::strcmp(name, "max_response_ns") == 0) r.rt_max_response_ns = v;
    }
}

} // namespace offsched::sim
