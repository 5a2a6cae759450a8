#include "backends/sim/trace/window_filter.h"

namespace offsched::sim::trace {

WindowFilter::WindowFilter(TraceSink* inner, uint64_t from_ns, uint64_t to_ns, uint64_t sample_every)
    : inner_(inner), from_(from_ns), to_(to_ns), every_(sample_every == 0 ? 1 : sample_every)
{
}

void WindowFilter::open()
{
    opened_ = true;
    for (uint32_t c = 0; c < cores_.size(); ++c)
        if (cores_[c].known) inner_->core_mode(from_, c, cores_[c].mode, cores_[c].label.empty() ? nullptr : cores_[c].label.c_str());
    for (uint32_t q = 0; q < fills_.size(); ++q)
        if (fills_[q] >= 0) inner_->ring_fill(from_, q, static_cast<uint32_t>(fills_[q]));
    for (uint32_t l = 0; l < lines_.size(); ++l)
        if (lines_[l] >= 0) inner_->irq_line(from_, l, lines_[l] != 0);
}

bool WindowFilter::pass(uint64_t t)
{
    if (closed_) return false;
    if (t >= to_) {
        if (!opened_) open();
        closed_ = true;
        inner_->finish(to_);
        return false;
    }
    if (t < from_) return false;
    if (!opened_) open();
    return true;
}

void WindowFilter::core_mode(uint64_t t, uint32_t core, CpuMode mode, const char* label)
{
    grow(cores_, core);
    cores_[core] = {true, mode, label ? label : ""};
    if (pass(t)) inner_->core_mode(t, core, mode, label);
}

void WindowFilter::ring_fill(uint64_t t, uint32_t queue, uint32_t fill)
{
    if (fills_.size() <= queue) fills_.resize(queue + 1, -1);
    fills_[queue] = fill;
    if (pass(t)) inner_->ring_fill(t, queue, fill);
}

void WindowFilter::irq_line(uint64_t t, uint32_t line, bool asserted)
{
    if (lines_.size() <= line) lines_.resize(line + 1, -1);
    lines_[line] = asserted ? 1 : 0;
    if (pass(t)) inner_->irq_line(t, line, asserted);
}

void WindowFilter::flow(uint64_t t, uint64_t conn, FlowStep step, uint32_t core)
{
    // A connection is followed when its first event falls inside the window and it is one of
    // every Nth: then its whole story (inside the window) is in the trace, never a tail.
    auto it = sampled_.find(conn);
    if (it == sampled_.end()) it = sampled_.emplace(conn, t >= from_ && t < to_ && conn % every_ == 0).first;
    const bool traced = it->second;
    if (step == FlowStep::Accept || step == FlowStep::GiveUp) sampled_.erase(it);
    if (pass(t) && traced) inner_->flow(t, conn, step, core);
}

void WindowFilter::finish(uint64_t t)
{
    if (closed_) return;
    if (!opened_ && t >= from_) open();
    closed_ = true;
    inner_->finish(t < from_ ? from_ : (t > to_ ? to_ : t));
}

} // namespace offsched::sim::trace
