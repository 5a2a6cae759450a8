// A sweep's results directory: what lets an interrupted sweep resume instead of starting over.
//   DIR/manifest.json  the binary's version and the resolved scenario (every design's parameters,
//                      the seed): a rerun whose scenario or binary differs refuses to mix results
//   DIR/points.jsonl   one line per finished (point, seed, design), appended and fsynced the
//                      moment it finishes; a line cut short by a crash is dropped on reopening
//   DIR/lock           flock(2)ed while a sweep uses DIR: two sweeps never write one file
// Results are keyed by the point's coordinates, seed and design, not by position, so a rerun
// with more seeds or a longer axis runs only what is new.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace offsched::tools {

class ResultsDir {
public:
    ResultsDir() = default;
    ~ResultsDir();
    ResultsDir(const ResultsDir&) = delete;
    ResultsDir& operator=(const ResultsDir&) = delete;

    // Opens DIR (creating it, and its parents when `create_parents`), locks it and reads what it
    // holds. Anything but Ok comes with *error.
    enum class Open {
        Ok,
        Unusable, // not a directory, not writable, a damaged manifest or line (not the last)
        Busy,     // another sweep holds its lock
        OtherRun, // it holds another scenario's or another build's results
    };
    Open open(const std::string& dir, const nlohmann::ordered_json& manifest, bool create_parents, std::string* error);
    bool is_open() const { return fd_points_ >= 0; }
    const std::string& path() const { return dir_; }

    // The key of one (point, seed, design).
    static std::string key(const std::vector<std::pair<std::string, std::string>>& coords, uint64_t seed, const std::string& design);
    // The result kept under key (a DesignResult's JSON), or nullptr.
    const nlohmann::ordered_json* find(const std::string& key) const;
    size_t size() const { return kept_.size(); }
    // Appends one finished result and fsyncs it.
    bool append(const std::string& key, const nlohmann::ordered_json& result, std::string* error);
    // Deletes the directory and everything in it (a finished sweep in the default, cache, place).
    void remove();

private:
    bool load(std::string* error);
    std::string dir_;
    int fd_lock_ = -1;
    int fd_points_ = -1;
    std::map<std::string, nlohmann::ordered_json> kept_;
};

// Where a sweep keeps its points when no --results is given: under $XDG_CACHE_HOME (or
// ~/.cache)/offsched/sweeps/, named by a hash of the manifest, so the same command finds them.
std::string default_results_dir(const nlohmann::ordered_json& manifest);

} // namespace offsched::tools
