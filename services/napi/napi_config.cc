#include "services/napi/napi_config.h"

#include "model/frame.h"
#include "services/common/config_check.h"

namespace offsched::napi {

void set_defaults(Config& c)
{
    c.max_batch_segments = 44;
    c.max_batch_bytes = 65535;
    c.rfs = true;
    c.hash_seed = 0x9e3779b9u;
    c.coalesce_ns = 20000;
}

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    if (!check_schema_ranges(kConfigSchema, &c, err)) return false;
    if (c.max_batch_segments > 1 && c.max_batch_bytes < kMaxFrameLen)
        return config_fail(err, "max_batch_bytes",
                           "must hold at least one full frame (1518 bytes) when coalescing is on");
    return true;
}

} // namespace offsched::napi
