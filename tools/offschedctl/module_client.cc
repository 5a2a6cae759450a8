#include "tools/offschedctl/module_client.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "backends/kernel/uapi/offsched.h"

namespace offsched::ctl {

std::string module_missing_reason()
{
    struct stat st{};
    if (stat(OFFSCHED_SYSFS, &st) != 0)
        return "the offsched kernel module is not loaded (" OFFSCHED_SYSFS " missing): insmod offsched.ko";
    if (stat(OFFSCHED_DEVICE, &st) != 0)
        return OFFSCHED_DEVICE " is missing although the module is loaded (devtmpfs not mounted?)";
    return "";
}

namespace {

template <typename Arg> CommandResult send(unsigned long request, Arg* arg, const char* what)
{
    if (std::string why = module_missing_reason(); !why.empty()) return {false, why};
    const int fd = open(OFFSCHED_DEVICE, O_RDWR | O_CLOEXEC);
    if (fd < 0) return {false, fmt::format("cannot open {}: {}", OFFSCHED_DEVICE, std::strerror(errno))};
    const int rc = ioctl(fd, request, arg);
    const int err = errno;
    close(fd);
    if (rc == 0) return {true, ""};
    arg->error[sizeof(arg->error) - 1] = 0;
    if (arg->error[0]) return {false, fmt::format("{} failed: {}", what, arg->error)};
    return {false, fmt::format("{} failed: {}", what, std::strerror(err))};
}

template <size_t N> void copy_name(char (&dst)[N], const std::string& src)
{
    std::memset(dst, 0, N);
    std::memcpy(dst, src.data(), std::min(src.size(), N - 1));
}

} // namespace

CommandResult attach(uint32_t cpu, const std::string& service, const std::string& nic,
                     const std::vector<uint8_t>& config)
{
    if (service.size() >= OFFSCHED_NAME_LEN) return {false, fmt::format("service name '{}' is too long", service)};
    if (nic.size() >= OFFSCHED_NAME_LEN) return {false, fmt::format("NIC name '{}' is too long", nic)};
    offsched_attach a{};
    a.cpu = cpu;
    a.config_len = static_cast<uint32_t>(config.size());
    a.config_ptr = reinterpret_cast<uintptr_t>(config.data());
    copy_name(a.service, service);
    copy_name(a.nic, nic);
    return send(OFFSCHED_IOC_ATTACH, &a, "attach");
}

CommandResult detach(uint32_t cpu)
{
    offsched_detach d{};
    d.cpu = cpu;
    return send(OFFSCHED_IOC_DETACH, &d, "detach");
}

CommandResult reload(uint32_t cpu, const std::string& service, const std::vector<uint8_t>& config)
{
    if (service.size() >= OFFSCHED_NAME_LEN) return {false, fmt::format("service name '{}' is too long", service)};
    offsched_reload r{};
    r.cpu = cpu;
    r.config_len = static_cast<uint32_t>(config.size());
    r.config_ptr = reinterpret_cast<uintptr_t>(config.data());
    copy_name(r.service, service);
    return send(OFFSCHED_IOC_RELOAD, &r, "reload");
}

} // namespace offsched::ctl
