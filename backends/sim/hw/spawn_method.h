// A method process that runs `fn` each time `ev` is notified (not at time 0). The NIC uses one per
// queue (moderation timer), the interrupt controller one per CPU (IPI arrival).
#pragma once

#include <utility>

#include <systemc>

namespace offsched::sim {

template <typename F> void spawn_method_on(sc_core::sc_event& ev, const char* base_name, F&& fn)
{
    sc_core::sc_spawn_options opt;
    opt.spawn_method();
    opt.dont_initialize();
    opt.set_sensitivity(&ev);
    sc_core::sc_spawn(std::forward<F>(fn), sc_core::sc_gen_unique_name(base_name), &opt);
}

} // namespace offsched::sim
