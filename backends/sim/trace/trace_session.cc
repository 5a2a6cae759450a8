#include "backends/sim/trace/trace_session.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <unordered_set>

#include <fmt/format.h>

#include "backends/sim/trace/figures.h"
#include "backends/sim/trace/perfetto_writer.h"
#include "backends/sim/trace/series_sink.h"
#include "backends/sim/trace/vcd_sink.h"
#include "backends/sim/trace/window_filter.h"

namespace offsched::sim::trace {

namespace {

// Design names come from the scenario: keep file names to a safe alphabet.
std::string file_safe(const std::string& name)
{
    std::string out;
    for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out;
}

} // namespace

bool write_text_atomically(const std::string& path, const std::string& text, std::string* error)
{
    const std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
        *error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

class TraceSession::Fanout final : public TraceSink {
public:
    std::vector<TraceSink*> to;
    void core_mode(uint64_t t, uint32_t c, CpuMode m, const char* l) override { for (auto* s : to) s->core_mode(t, c, m, l); }
    void ring_fill(uint64_t t, uint32_t q, uint32_t f) override { for (auto* s : to) s->ring_fill(t, q, f); }
    void irq_line(uint64_t t, uint32_t l, bool a) override { for (auto* s : to) s->irq_line(t, l, a); }
    void flow(uint64_t t, uint64_t c, FlowStep st, uint32_t core) override
    {
        // The server may still accept a connection whose client gave up: its story has ended.
        if (ended.count(c)) return;
        if (st == FlowStep::Accept || st == FlowStep::GiveUp) ended.insert(c);
        for (auto* s : to) s->flow(t, c, st, core);
    }
    std::unordered_set<uint64_t> ended;
    void finish(uint64_t t) override { for (auto* s : to) s->finish(t); }
};

std::string vcd_path_for(const std::string& path, const std::string& design_name, uint32_t designs)
{
    if (designs <= 1) return path;
    const std::string stem = path.ends_with(".vcd") ? path.substr(0, path.size() - 4) : path;
    return fmt::format("{}.{}.vcd", stem, file_safe(design_name));
}

std::string series_path_for(const std::string& dir, const std::string& design_name)
{
    return fmt::format("{}/series.{}.json", dir, file_safe(design_name));
}

std::string cpu_figure_path_for(const std::string& dir, const std::string& design_name)
{
    return fmt::format("{}/cpu.{}.svg", dir, file_safe(design_name));
}

TraceSession::TraceSession(const TraceOptions& options, const TraceLayout& layout)
    : options_(options), layout_(layout), fanout_(std::make_unique<Fanout>())
{
    if (!options.perfetto_path.empty()) {
        auto w = std::make_unique<PerfettoWriter>(perfetto_part_path(options.perfetto_path, layout.design_index), layout);
        if (!w->ok()) error_ = w->error();
        perfetto_ = w.get();
        window_ = std::make_unique<WindowFilter>(w.get(), options.window_from_ns, options.window_to_ns, options.sample_every);
        fanout_->to.push_back(window_.get());
        sinks_.push_back(std::move(w));
    }
    if (!options.vcd_path.empty()) {
        auto v = std::make_unique<VcdSink>(vcd_path_for(options.vcd_path, layout.design, layout.design_count), layout);
        if (!v->error().empty()) error_ = v->error();
        vcd_ = v.get();
        fanout_->to.push_back(v.get());
        sinks_.push_back(std::move(v));
    }
    if (!options.series_dir.empty()) {
        auto s = std::make_unique<SeriesSink>(layout);
        series_ = s.get();
        fanout_->to.push_back(s.get());
        sinks_.push_back(std::move(s));
    }
    if (!sinks_.empty()) active_ = fanout_.get();
    g_current_trace = Trace(active_);
}

TraceSession::~TraceSession() { g_current_trace = Trace(); }

bool TraceSession::close(uint64_t end_ns, std::string* error)
{
    if (closed_) return true;
    closed_ = true;
    if (!error_.empty()) {
        *error = error_;
        return false;
    }
    fanout_->finish(end_ns);
    if (perfetto_ && !perfetto_->error().empty()) {
        *error = perfetto_->error();
        return false;
    }
    if (vcd_ && !vcd_->error().empty()) {
        *error = vcd_->error();
        return false;
    }
    if (series_)
        return write_text_atomically(series_path_for(options_.series_dir, layout_.design), series_to_json(series_->series()).dump() + "\n",
                                     error);
    return true;
}

bool finish_trace_outputs(const TraceOptions& options, const std::vector<DesignOutputs>& designs, std::string* error)
{
    if (!options.perfetto_path.empty() && !merge_perfetto_parts(options.perfetto_path, static_cast<uint32_t>(designs.size()), error))
        return false;
    if (options.series_dir.empty()) return true;
    std::vector<Series> series;
    for (const DesignOutputs& d : designs) {
        const std::string path = series_path_for(options.series_dir, d.name);
        std::ifstream in(path);
        try {
            series.push_back(series_from_json(nlohmann::ordered_json::parse(in)));
        } catch (const nlohmann::json::exception& e) {
            *error = fmt::format("{}: {}", path, e.what());
            return false;
        }
        series.back().connect_timeout_ns = d.connect_timeout_ns;
    }
    return write_run_figures(options.series_dir, series, error);
}

} // namespace offsched::sim::trace
