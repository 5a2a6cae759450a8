// A cursor over a request's text form (model/channels.h, request_from_text): words separated by
// blanks, decimal numbers without overflow. Freestanding: no libc on the kernel build.
#pragma once

#include "model/types.h"

namespace offsched {

struct TextWords {
    const char* p;
    const char* end;
    static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }
    void skip()
    {
        while (p < end && blank(*p)) ++p;
    }
    bool word(const char* w) // the next word is exactly w
    {
        skip();
        const char* q = p;
        while (*w && q < end && *q == *w) ++q, ++w;
        if (*w || (q < end && !blank(*q))) return false;
        p = q;
        return true;
    }
    bool number(u64 max, u64* out)
    {
        skip();
        if (p == end || *p < '0' || *p > '9') return false;
        u64 v = 0;
        for (; p < end && *p >= '0' && *p <= '9'; ++p) {
            const u64 d = static_cast<u64>(*p - '0');
            if (v > (max - d) / 10) return false;
            v = v * 10 + d;
        }
        *out = v;
        return p == end || blank(*p);
    }
    bool done()
    {
        skip();
        return p == end;
    }
};

} // namespace offsched
