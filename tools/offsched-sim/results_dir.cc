#include "tools/offsched-sim/results_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/lib/atomic_file.h"

namespace offsched::tools {

namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

bool read_whole(const std::string& path, std::string* out)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out->append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return true;
}

// 64-bit FNV-1a: a stable name for a manifest (std::hash may differ between builds).
uint64_t fnv1a(const std::string& s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

} // namespace

ResultsDir::~ResultsDir()
{
    if (fd_points_ >= 0) ::close(fd_points_);
    if (fd_lock_ >= 0) ::close(fd_lock_); // releases the flock
}

ResultsDir::Open ResultsDir::open(const std::string& dir, const nlohmann::ordered_json& manifest, bool create_parents, std::string* error)
{
    dir_ = dir;
    std::error_code ec;
    if (create_parents) fs::create_directories(dir, ec);
    else if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) ec = std::error_code(errno, std::generic_category());
    struct stat st {};
    if (ec || ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        *error = fmt::format("results directory {}: {}", dir, ec ? ec.message() : "is not a directory");
        return Open::Unusable;
    }
    fd_lock_ = ::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_lock_ < 0) {
        *error = fmt::format("results directory {}: cannot create its lock file: {}", dir, errno_text());
        return Open::Unusable;
    }
    if (::flock(fd_lock_, LOCK_EX | LOCK_NB) != 0) {
        *error = fmt::format("results directory {} is in use by another offsched-sim sweep; wait for it or choose another --results", dir);
        return Open::Busy;
    }
    const std::string manifest_path = dir + "/manifest.json";
    std::string text;
    if (read_whole(manifest_path, &text)) {
        nlohmann::ordered_json kept;
        try {
            kept = nlohmann::ordered_json::parse(text);
        } catch (const std::exception&) {
            *error = fmt::format("{} is damaged; remove {} to start over", manifest_path, dir);
            return Open::Unusable;
        }
        for (const char* part : {"version", "scenario"})
            if (!kept.contains(part) || kept[part] != manifest[part]) {
                *error = fmt::format("{} holds the results of another {} ({}); it would mix them with this run's: "
                                     "remove it, or give this run another --results",
                                     dir, std::strcmp(part, "version") == 0 ? "offsched-sim build" : "scenario",
                                     std::strcmp(part, "version") == 0 ? kept.value("version", "?") : "designs, parameters or seed differ");
                return Open::OtherRun;
            }
    } else if (!write_file_atomically(manifest_path, manifest.dump(2) + "\n", error)) {
        return Open::Unusable;
    }
    if (!load(error)) return Open::Unusable;
    fd_points_ = ::open((dir + "/points.jsonl").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_points_ < 0) {
        *error = fmt::format("{}/points.jsonl: {}", dir, errno_text());
        return Open::Unusable;
    }
    return Open::Ok;
}

bool ResultsDir::load(std::string* error)
{
    const std::string path = dir_ + "/points.jsonl";
    std::string text;
    if (!read_whole(path, &text)) return true; // nothing finished yet
    size_t start = 0, line = 0;
    while (start < text.size()) {
        ++line;
        const size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            // The write of the last result was cut short (power loss, kill -9): that point runs again.
            if (::truncate(path.c_str(), static_cast<off_t>(start)) != 0) {
                *error = fmt::format("{}: cannot drop its unfinished last line: {}", path, errno_text());
                return false;
            }
            break;
        }
        try {
            const auto j = nlohmann::ordered_json::parse(text.substr(start, nl - start));
            kept_[j.at("key").get<std::string>()] = j.at("result");
        } catch (const std::exception& e) {
            *error = fmt::format("{}:{}: damaged result line ({}); remove {} to start over", path, line, e.what(), dir_);
            return false;
        }
        start = nl + 1;
    }
    return true;
}

std::string ResultsDir::key(const std::vector<std::pair<std::string, std::string>>& coords, uint64_t seed, const std::string& design)
{
    nlohmann::ordered_json k = nlohmann::ordered_json::object();
    std::map<std::string, std::string> sorted(coords.begin(), coords.end()); // axis order does not matter
    for (const auto& [field, value] : sorted) k[field] = value;
    k["seed"] = seed;
    k["design"] = design;
    return k.dump();
}

const nlohmann::ordered_json* ResultsDir::find(const std::string& key) const
{
    const auto it = kept_.find(key);
    return it == kept_.end() ? nullptr : &it->second;
}

bool ResultsDir::append(const std::string& key, const nlohmann::ordered_json& result, std::string* error)
{
    nlohmann::ordered_json line;
    line["key"] = key;
    line["result"] = result;
    const std::string text = line.dump() + "\n";
    size_t off = 0;
    while (off < text.size()) { // O_APPEND: one writer (the lock), so lines never interleave
        const ssize_t n = ::write(fd_points_, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            *error = fmt::format("{}/points.jsonl: {}", dir_, errno_text());
            return false;
        }
        off += static_cast<size_t>(n);
    }
    if (::fdatasync(fd_points_) != 0) {
        *error = fmt::format("{}/points.jsonl: {}", dir_, errno_text());
        return false;
    }
    kept_[key] = result;
    return true;
}

void ResultsDir::remove()
{
    if (fd_points_ >= 0) ::close(fd_points_);
    fd_points_ = -1;
    std::error_code ec;
    fs::remove_all(dir_, ec); // the lock goes with it; its descriptor closes in the destructor
}

std::string default_results_dir(const nlohmann::ordered_json& manifest)
{
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    std::string base = xdg && *xdg ? xdg : std::string(home && *home ? home : "/tmp") + "/.cache";
    return fmt::format("{}/offsched/sweeps/{:016x}", base, fnv1a(manifest.dump()));
}

} // namespace offsched::tools
