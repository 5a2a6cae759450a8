#include "services/rtop/rtop_wire.h"

#include "services/net/byte_order.h"

namespace offsched::rtop {

using net::load_be16;
using net::load_be32;
using net::store_be16;
using net::store_be32;

namespace {
void store_be64(u8* p, u64 v)
{
    store_be32(p, static_cast<u32>(v >> 32));
    store_be32(p + 4, static_cast<u32>(v));
}
u64 load_be64(const u8* p) { return (static_cast<u64>(load_be32(p)) << 32) | load_be32(p + 4); }
} // namespace

const char* decode_error_name(DecodeError e)
{
    switch (e) {
    case DecodeError::Ok: return "ok";
    case DecodeError::Truncated: return "truncated";
    case DecodeError::BadMagic: return "bad_magic";
    case DecodeError::BadVersion: return "bad_version";
    case DecodeError::BadHeaderLen: return "bad_header_len";
    case DecodeError::BadRecordLen: return "bad_record_len";
    case DecodeError::TooManyRecords: return "too_many_records";
    case DecodeError::BadCpuIndex: return "bad_cpu_index";
    case DecodeError::TrailingBytes: return "trailing_bytes";
    }
    return "unknown";
}

// Header (offsets): 0 magic u32, 4 version u16, 6 header_len u16, 8 record_len u16,
// 10 record_count u16, 12 seq u32, 16 sample u32, 20 first_cpu u16, 22 total_cpus u16,
// 24 timestamp_ns u64, 32 mem_total_kb u64, 40 mem_available_kb u64.
// Record: 0 cpu u16, 2 reserved u16, 4 nr_running u32, 8 busy_ns, 16 idle_ns, 24 irq_ns,
// 32 softirq_ns (u64 each).
u32 encode(const Header& h, const Record* records, u32 n, u8* out, u32 cap)
{
    const u32 len = kHeaderLen + n * kRecordLen;
    if (n > kMaxRecordsPerDatagram || len > cap) return 0;
    store_be32(out, kMagic);
    store_be16(out + 4, kVersion);
    store_be16(out + 6, kHeaderLen);
    store_be16(out + 8, kRecordLen);
    store_be16(out + 10, static_cast<u16>(n));
    store_be32(out + 12, h.seq);
    store_be32(out + 16, h.sample);
    store_be16(out + 20, h.first_cpu);
    store_be16(out + 22, h.total_cpus);
    store_be64(out + 24, h.timestamp_ns);
    store_be64(out + 32, h.mem_total_kb);
    store_be64(out + 40, h.mem_available_kb);
    for (u32 i = 0; i < n; ++i) {
        u8* r = out + kHeaderLen + i * kRecordLen;
        store_be16(r, records[i].cpu);
        store_be16(r + 2, 0);
        store_be32(r + 4, records[i].nr_running);
        store_be64(r + 8, records[i].busy_ns);
        store_be64(r + 16, records[i].idle_ns);
        store_be64(r + 24, records[i].irq_ns);
        store_be64(r + 32, records[i].softirq_ns);
    }
    return len;
}

DecodeError decode(const u8* p, u32 len, Header* h, Record* records, u32 max_records)
{
    if (len < 12) return DecodeError::Truncated;
    if (load_be32(p) != kMagic) return DecodeError::BadMagic;
    if (load_be16(p + 4) != kVersion) return DecodeError::BadVersion;
    const u16 header_len = load_be16(p + 6);
    const u16 record_len = load_be16(p + 8);
    const u16 n = load_be16(p + 10);
    if (header_len != kHeaderLen) return DecodeError::BadHeaderLen;
    if (record_len != kRecordLen) return DecodeError::BadRecordLen;
    if (len < header_len) return DecodeError::Truncated;
    const u32 need = static_cast<u32>(header_len) + static_cast<u32>(n) * record_len;
    if (len < need) return DecodeError::Truncated;
    if (len > need) return DecodeError::TrailingBytes;
    h->record_count = n;
    h->seq = load_be32(p + 12);
    h->sample = load_be32(p + 16);
    h->first_cpu = load_be16(p + 20);
    h->total_cpus = load_be16(p + 22);
    h->timestamp_ns = load_be64(p + 24);
    h->mem_total_kb = load_be64(p + 32);
    h->mem_available_kb = load_be64(p + 40);
    if (n > max_records || n > kMaxRecordsPerDatagram || static_cast<u32>(h->first_cpu) + n > h->total_cpus)
        return DecodeError::TooManyRecords;
    for (u32 i = 0; i < n; ++i) {
        const u8* r = p + header_len + i * record_len;
        Record& o = records[i];
        o.cpu = load_be16(r);
        if (o.cpu != h->first_cpu + i) return DecodeError::BadCpuIndex;
        o.nr_running = load_be32(r + 4);
        o.busy_ns = load_be64(r + 8);
        o.idle_ns = load_be64(r + 16);
        o.irq_ns = load_be64(r + 24);
        o.softirq_ns = load_be64(r + 32);
    }
    return DecodeError::Ok;
}

} // namespace offsched::rtop
