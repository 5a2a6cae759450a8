#include "lib/input/input_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace offsched::tools {

namespace {

const char* kind_of(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

// Length of the UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when it is not valid.
size_t utf8_length(const std::string& s, size_t i)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned c = b(i);
    if (c < 0x80) return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c == 0xe0) n = 3, lo = 0xa0;
    else if (c >= 0xe1 && c <= 0xec) n = 3;
    else if (c == 0xed) n = 3, hi = 0x9f;
    else if (c >= 0xee && c <= 0xef) n = 3;
    else if (c == 0xf0) n = 4, lo = 0x90;
    else if (c >= 0xf1 && c <= 0xf3) n = 4;
    else if (c == 0xf4) n = 4, hi = 0x8f;
    else return 0;
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xbf) return 0;
    return n;
}

} // namespace

InputLocation first_bad_text_byte(const std::string& text, const std::string& file, std::string* why)
{
    int line = 1, column = 1;
    for (size_t i = 0; i < text.size();) {
        if (text[i] == '\0') {
            *why = "contains a NUL byte: not a text file";
            return {file, line, column};
        }
        const size_t n = utf8_length(text, i);
        if (!n) {
            *why = fmt::format("byte 0x{:02x} is not valid UTF-8", static_cast<unsigned char>(text[i]));
            return {file, line, column};
        }
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += n;
    }
    return {file, 0, 0};
}

std::string read_input_file(const std::string& path, InputKind kind, size_t max_bytes)
{
    const InputLocation at{path, 0, 0};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK); // a FIFO must not block us
    if (fd < 0) throw InputError(at, "", std::string("cannot open: ") + std::strerror(errno));
    std::unique_ptr<int, void (*)(int*)> guard(new int(fd), [](int* f) { ::close(*f); delete f; });
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw InputError(at, "", std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw InputError(at, "", fmt::format("is {}, not a file", kind_of(st.st_mode)));
    if (static_cast<unsigned long long>(st.st_size) > max_bytes)
        throw InputError(at, "", fmt::format("is {} bytes, more than the {} an input may have", st.st_size, max_bytes));
    std::string text(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(at, "", std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) break; // shrank under us: keep what is there
        got += static_cast<size_t>(n);
    }
    text.resize(got);
    if (kind == InputKind::Text) check_input_text(text, path);
    return text;
}

void check_input_text(const std::string& text, const std::string& name)
{
    std::string why;
    const InputLocation bad = first_bad_text_byte(text, name, &why);
    if (bad.line) throw InputError(bad, "", why);
}

} // namespace offsched::tools
