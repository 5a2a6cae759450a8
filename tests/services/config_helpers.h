// validate() in one call for config tests: the field a service names, or "accepted".
#pragma once

#include <string>

#include "model/service.h"

namespace offsched::test {

template <typename S> std::string rejected_field(const typename S::Config& c, u32* index = nullptr)
{
    ConfigError err;
    if (S::validate(c, err)) return "accepted";
    if (index) *index = err.index;
    if (!err.message) return "(no message)";
    return err.field ? err.field : "(no field)";
}

// Defaults, then `change`, then validate().
template <typename S, typename F> std::string rejected_after(F&& change)
{
    typename S::Config c;
    S::defaults(c);
    change(c);
    return rejected_field<S>(c);
}

} // namespace offsched::test
