#include "tools/offsched-sim/mpi_cluster.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "backends/sim/run/child_process.h"

#ifdef OFFSCHED_HAVE_MPI
#define OMPI_SKIP_MPICXX 1 // the C API only: the C++ bindings are deprecated and need their own library
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace offsched::tools {

namespace {

// The launcher's own count of ranks, read before (or without) MPI: Open MPI, then PMI-based ones.
int launcher_ranks()
{
    for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
        if (const char* v = std::getenv(var)) return std::atoi(v);
    return 1;
}

#ifdef OFFSCHED_HAVE_MPI
enum Tag : int { kTagJob = 1, kTagStop = 2, kTagResult = 3 };

// A result travels as: 8 bytes job index, 1 byte ok, then the text (or the failure).
std::vector<char> encode(uint64_t job, bool ok, const std::string& text)
{
    std::vector<char> b(9 + text.size());
    std::memcpy(b.data(), &job, 8);
    b[8] = ok ? 1 : 0;
    std::memcpy(b.data() + 9, text.data(), text.size());
    return b;
}

void sleep_briefly()
{
    const timespec t{0, 200000}; // 0.2 ms: a waiting rank must not spin on a core a simulation needs
    nanosleep(&t, nullptr);
}
#endif

} // namespace

#ifdef OFFSCHED_HAVE_MPI
class MpiCluster::Workers : public sim::RemoteWorkers {
public:
    explicit Workers(int size) : size_(size) {}
    size_t count() const override { return static_cast<size_t>(size_ - 1); }
    void start(size_t worker, size_t job) override
    {
        const uint64_t j = job;
        MPI_Send(&j, 1, MPI_UINT64_T, static_cast<int>(worker) + 1, kTagJob, MPI_COMM_WORLD);
    }
    bool poll(size_t* worker, sim::JobOutcome* out) override
    {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &flag, &st);
        if (!flag) return false;
        int n = 0;
        MPI_Get_count(&st, MPI_BYTE, &n);
        std::vector<char> b(static_cast<size_t>(n));
        MPI_Recv(b.data(), n, MPI_BYTE, st.MPI_SOURCE, kTagResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        *worker = static_cast<size_t>(st.MPI_SOURCE - 1);
        uint64_t job = 0;
        if (n >= 9) std::memcpy(&job, b.data(), 8);
        *out = sim::JobOutcome{};
        out->job = job;
        out->remote_worker = st.MPI_SOURCE - 1;
        out->ok = n >= 9 && b[8] == 1;
        const std::string text = n > 9 ? std::string(b.data() + 9, b.size() - 9) : std::string();
        if (out->ok) out->text = text;
        else out->failure = "on MPI rank " + std::to_string(st.MPI_SOURCE) + ": " + text;
        return true;
    }
    void stop_all()
    {
        for (int r = 1; r < size_; ++r) MPI_Send(nullptr, 0, MPI_BYTE, r, kTagStop, MPI_COMM_WORLD);
    }

private:
    int size_;
};

MpiCluster::MpiCluster(int* argc, char*** argv)
{
    if (launcher_ranks() <= 1) return;
    MPI_Init(argc, argv);
    initialised_ = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (rank_ == 0 && size_ > 1) workers_ = std::make_unique<Workers>(size_);
    if (rank_ > 0) { // rank 0 speaks for the run; the others' messages would repeat it N times
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            ::close(null);
        }
    }
}

MpiCluster::~MpiCluster()
{
    if (!initialised_) return;
    if (workers_) workers_->stop_all();
    MPI_Finalize();
}

sim::RemoteWorkers* MpiCluster::workers() { return workers_.get(); }

int MpiCluster::serve(const std::function<std::string(size_t)>& body)
{
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            sleep_briefly();
            continue;
        }
        if (st.MPI_TAG != kTagJob) {
            MPI_Recv(nullptr, 0, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            return 0;
        }
        uint64_t job = 0;
        MPI_Recv(&job, 1, MPI_UINT64_T, 0, kTagJob, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        sim::ChildProcess child;
        std::string error;
        std::vector<char> reply;
        if (!sim::start_child([&body, job] { return body(job); }, &child, &error)) {
            reply = encode(job, false, error);
        } else {
            const sim::ChildResult r = sim::finish_child(child);
            reply = encode(job, r.ok(), r.ok() ? r.text : r.describe());
        }
        MPI_Send(reply.data(), static_cast<int>(reply.size()), MPI_BYTE, 0, kTagResult, MPI_COMM_WORLD);
    }
}

#else // built without MPI

class MpiCluster::Workers {};

MpiCluster::MpiCluster(int*, char***)
{
    if (launcher_ranks() > 1)
        unusable_ = "started by an MPI launcher with several ranks, but this offsched-sim was built without MPI "
                    "(install libopenmpi-dev and rebuild); each rank would run the whole sweep";
}

MpiCluster::~MpiCluster() = default;
sim::RemoteWorkers* MpiCluster::workers() { return nullptr; }
int MpiCluster::serve(const std::function<std::string(size_t)>&) { return 0; }

#endif

} // namespace offsched::tools
