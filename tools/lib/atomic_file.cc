#include "tools/lib/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/lib/signal_cleanup.h"

namespace offsched::tools {

namespace fs = std::filesystem;

namespace {
const char* not_a_file(mode_t m)
{
    if (S_ISDIR(m)) return "is a directory";
    if (S_ISCHR(m) || S_ISBLK(m)) return "is a device: refusing to replace it with a file";
    if (S_ISFIFO(m)) return "is a FIFO: refusing to replace it with a file";
    if (S_ISSOCK(m)) return "is a socket";
    return nullptr;
}
} // namespace

std::string output_target(const std::string& path)
{
    std::error_code ec;
    fs::path p(path);
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path to = fs::read_symlink(p, ec);
        if (ec) break;
        p = to.is_absolute() ? to : p.parent_path() / to;
    }
    return p.string();
}

bool check_output_path(const std::string& path, std::string* error)
{
    if (path == "-") return true;
    if (path.empty()) {
        *error = "empty output path";
        return false;
    }
    const std::string target = output_target(path);
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) {
        if (const char* why = not_a_file(st.st_mode)) {
            *error = path + ": " + why;
            return false;
        }
    }
    std::string dir = fs::path(target).parent_path().string();
    if (dir.empty()) dir = ".";
    struct stat ds {};
    if (::stat(dir.c_str(), &ds) != 0 || !S_ISDIR(ds.st_mode)) {
        *error = path + ": directory " + dir + " does not exist";
        return false;
    }
    if (::access(dir.c_str(), W_OK) != 0) {
        *error = path + ": cannot write in " + dir + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

bool write_file_atomically(const std::string& path, const std::string& content, std::string* error)
{
    if (path == "-") {
        if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() || std::fflush(stdout) != 0) {
            *error = std::string("stdout: ") + std::strerror(errno);
            return false;
        }
        return true;
    }
    if (!check_output_path(path, error)) return false;
    const std::string target = output_target(path);
    const std::string tmp = target + ".tmp." + std::to_string(getpid());
    remove_on_signal(tmp);
    const auto fail = [&](int err) {
        *error = path + ": " + std::strerror(err);
        ::unlink(tmp.c_str());
        keep_on_signal(tmp);
        return false;
    };
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(errno);
    size_t off = 0;
    while (off < content.size()) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = n < 0 ? errno : EIO;
            ::close(fd);
            return fail(e);
        }
        off += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        return fail(e);
    }
    if (::close(fd) != 0) return fail(errno);
    if (std::rename(tmp.c_str(), target.c_str()) != 0) return fail(errno);
    keep_on_signal(tmp);
    return true;
}

} // namespace offsched::tools
