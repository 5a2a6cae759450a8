#include "backends/sim/companions/rt_jobs_result.h"

#include <cstring>
#include <iterator>

#include "model/channels.h"

namespace offsched::sim {

void fill_rt_jobs_result(const Service& s, DesignResult& r)
{
    r.rt_path = "offsched_rt";
    uint64_t* rows[] = {&r.rt_releases, &r.rt_deadline_misses, &r.rt_overruns, &r.rt_max_response_ns};
    static_assert(std::size(rows) == std::size(kRtJobsStats));
    for (u32 i = 0; i < s.stat_count(); ++i)
        for (size_t k = 0; k < std::size(kRtJobsStats); ++k)
            if (std::strcmp(s.stat_desc(i).name, kRtJobsStats[k]) == 0) *rows[k] = s.stat_value(i);
}

} // namespace offsched::sim
