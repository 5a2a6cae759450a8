#include "services/rtop/rtop_config.h"

#include "services/common/config_check.h"

namespace offsched::rtop {

void set_defaults(Config& c)
{
    __builtin_memset(&c, 0, sizeof c);
    c.interval_ns = 100000000;
    const char bcast[] = "ff:ff:ff:ff:ff:ff";
    __builtin_memcpy(c.dst_mac, bcast, sizeof bcast);
    c.dst_ip = 0xc0000201; // 192.0.2.1 (TEST-NET-1): set per deployment
    c.dst_port = 7171;
    c.src_ip = 0xc0000202; // 192.0.2.2
    c.src_port = 7171;
    c.queue = 0;
    c.read_tries = 8;
}

namespace {
int hex(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}
} // namespace

bool parse_mac(const char* t, u8 out[6])
{
    for (u32 i = 0; i < 6; ++i) {
        const int hi = hex(t[3 * i]), lo = hi < 0 ? -1 : hex(t[3 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        const char sep = t[3 * i + 2];
        if (i < 5 ? sep != ':' : sep != '\0') return false;
        out[i] = static_cast<u8>(hi * 16 + lo);
    }
    return true;
}

bool check(const Config& c, ConfigError& err)
{
    err = ConfigError{};
    if (!check_schema_ranges(kConfigSchema, &c, err)) return false;
    u8 mac[6];
    if (!parse_mac(c.dst_mac, mac)) return config_fail(err, "dst_mac", "expected six hex pairs like 02:00:00:00:00:01");
    if (c.dst_ip == 0) return config_fail(err, "dst_ip", "required: the collector's address");
    if (c.src_ip == 0) return config_fail(err, "src_ip", "required: the address the datagrams come from");
    return true;
}

void streams_to(const void* config, StreamTarget* out)
{
    Config c;
    __builtin_memcpy(&c, config, sizeof c);
    *out = StreamTarget{static_cast<u16>(c.dst_port), c.interval_ns};
}

} // namespace offsched::rtop
