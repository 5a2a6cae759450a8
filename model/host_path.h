// The way from a service core back into the OS: accepted frames are copied into a lock-free
// ring that an online CPU drains (a virtual netdev's NAPI poll on the kernel backend, the OS
// receive model in the sim), and a doorbell tells that CPU there is work.
#pragma once

#include "model/frame.h"

namespace offsched {

class HostPath {
public:
    // Copies the frame towards OS cpu `cpu`. False when that ring is full (the caller counts it).
    virtual bool pass(const Frame& f, u32 cpu) = 0;
    // Tells OS cpu `cpu` that its ring has work. May be coalesced; costs an IPI-like event.
    virtual void doorbell(u32 cpu) = 0;
    // Number of OS cpus frames can be steered to.
    virtual u32 os_cpus() const = 0;
    // Longest frame pass() carries. A service that builds larger frames than it receives (napi's
    // GRO) keeps below it: the kernel backend's ring slots hold one standard frame.
    virtual u32 max_frame_len() const { return kMaxFrameLen; }

protected:
    ~HostPath() = default;
};

} // namespace offsched
