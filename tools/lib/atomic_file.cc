#include "tools/lib/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace offsched::tools {

bool write_file_atomically(const std::string& path, const std::string& content, std::string* error)
{
    if (path == "-") {
        if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0) {
            *error = std::string("stdout: ") + std::strerror(errno);
            return false;
        }
        return true;
    }
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) {
        *error = path + ": " + std::strerror(errno);
        return false;
    }
    const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    const int saved = errno;
    if (std::fclose(f) != 0 || !written || std::rename(tmp.c_str(), path.c_str()) != 0) {
        *error = path + ": " + std::strerror(written ? errno : saved);
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

} // namespace offsched::tools
