// The core a service runs on. On the kernel backend it is a hot-unplugged CPU with interrupts
// off; in the sim it is a modelled core whose time advances by what the service reports.
#pragma once

#include "model/types.h"

namespace offsched {

class Core {
public:
    virtual u32 id() const = 0;
    // Called when a step found no work: PAUSE on x86, a poll-interval wait in the sim.
    virtual void relax() = 0;

protected:
    ~Core() = default;
};

} // namespace offsched
