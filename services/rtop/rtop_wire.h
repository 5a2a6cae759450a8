// rtop wire format, version 1: one sample of the OS's per-cpu statistics as one or more UDP
// datagrams (at most kMaxRecordsPerDatagram cpus each). All integers big-endian. Spec with the
// field table: docs/SERVICES.md, "rtop wire format". The encoder (service) and the decoder
// (tools/offsched-rtop, tests) are this one file, so they cannot drift apart.
#pragma once

#include "model/os_stats.h"

namespace offsched::rtop {

constexpr u32 kMagic = 0x52544f50; // "RTOP"
constexpr u16 kVersion = 1;
constexpr u16 kHeaderLen = 48;
constexpr u16 kRecordLen = 40;
constexpr u32 kMaxRecordsPerDatagram = 32; // 48 + 32 * 40 = 1328 bytes: fits a 1500 MTU
constexpr u32 kMaxDatagramLen = kHeaderLen + kMaxRecordsPerDatagram * kRecordLen;

struct Header {
    u32 seq;            // datagram sequence number (gaps = loss)
    u32 sample;         // sample number; datagrams of one sample share it
    u64 timestamp_ns;   // service clock at the sample
    u64 mem_total_kb;
    u64 mem_available_kb;
    u16 first_cpu;      // cpu index of the first record
    u16 record_count;   // records in this datagram
    u16 total_cpus;     // cpus in the whole sample
};

struct Record {
    u16 cpu;
    u32 nr_running;
    u64 busy_ns;
    u64 idle_ns;
    u64 irq_ns;
    u64 softirq_ns;
};

enum class DecodeError : u8 {
    Ok = 0,
    Truncated,        // shorter than the header, or than header + records
    BadMagic,
    BadVersion,       // a version this decoder does not know
    BadHeaderLen,
    BadRecordLen,
    TooManyRecords,   // more than the caller's buffer or than total_cpus allows
    BadCpuIndex,      // records not numbered first_cpu, first_cpu+1, ...
    TrailingBytes,    // bytes after the last record
};
const char* decode_error_name(DecodeError e);

// Writes the datagram payload (header + records) into out; returns its length (0 if cap is
// too small or n exceeds kMaxRecordsPerDatagram).
u32 encode(const Header& h, const Record* records, u32 n, u8* out, u32 cap);

// Parses a datagram payload; records receive up to max_records entries.
DecodeError decode(const u8* p, u32 len, Header* h, Record* records, u32 max_records);

} // namespace offsched::rtop
