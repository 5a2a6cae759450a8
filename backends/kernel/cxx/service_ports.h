/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only interface between the module's C (kernel headers) and C++ (model/, services/)
 * halves: C++ cannot include kernel headers, so both sides see plain C types here.
 * Functions marked "dead CPU" run on the hot-unplugged CPU: no printk, locks, allocation,
 * RCU or tracing inside them or anything they call.
 */
#ifndef OFFSCHED_SERVICE_PORTS_H
#define OFFSCHED_SERVICE_PORTS_H

#ifdef __cplusplus
extern "C" {
#endif

struct osk_nic;
struct osk_host;

/* One received frame as the NIC driver hands it over (borrowed until the next rx). */
struct osk_frame {
	unsigned char *data;
	unsigned short len;
};

/* What the backend gives an instance: the hardware it may touch and the clock rate. */
struct osk_hw {
	struct osk_nic *nic;   /* NULL for a service that needs no NIC */
	struct osk_host *host;
	unsigned int cpu;
	unsigned int tsc_khz;
	unsigned int budget; /* packets per step */
	int aperfmperf;      /* the CPU has APERF/MPERF (X86_FEATURE_APERFMPERF): measure its real rate */
};

/* Why a config was rejected (static strings from the service's schema/validate). */
struct osk_config_error {
	const char *field;
	const char *message;
	unsigned int index;
	int has_range;                 /* a schema range check failed: min/max are its bounds */
	unsigned long long min, max;
};

/* One online CPU's statistics, as the rtop service publishes them (ns since boot). */
struct osk_cpu_sample {
	unsigned long long busy_ns, idle_ns, irq_ns, softirq_ns;
	unsigned int nr_running;
};

/* ---- implemented in C, called from C++ on the dead CPU ---- */
unsigned int osk_nic_rx(struct osk_nic *nic, struct osk_frame *out, unsigned int max);
int osk_nic_tx(struct osk_nic *nic, const void *data, unsigned int len);
void osk_nic_tx_flush(struct osk_nic *nic);
void osk_nic_mac(const struct osk_nic *nic, unsigned char out[6]);
int osk_host_pass(struct osk_host *host, const void *data, unsigned int len);
void osk_host_doorbell(struct osk_host *host);
/* Drops every TLB entry of this CPU, global ones too: the loop's defence against translations
 * it cached before a vmalloc area was freed and reused (a dead CPU gets no shootdowns). */
void osk_local_tlb_flush(void);
/* Moves frames the Linux stack sent on the host netdev out of the NIC; returns how many. */
unsigned int osk_host_tx_drain(struct osk_host *host, unsigned int budget);
/* Gives back `returned` frames lent before, then lends up to max more from the host's TX ring
 * (for a service that transmits the host's frames itself). */
unsigned int osk_host_tx_lend(struct osk_host *host, unsigned int returned, struct osk_frame *out,
			      unsigned int max);

/* runtime.c: a pure virtual call is a bug (BUG()), never a jump to address 0 */
void __cxa_pure_virtual(void);

/* ---- implemented in C++, called from C on an online CPU unless marked ---- */
unsigned int osk_service_count(void);
const char *osk_service_name(unsigned int i);
const char *osk_service_summary(unsigned int i);
/* Config size in bytes of the named service, or -1 when there is no such service. */
long osk_service_config_size(const char *name);
/* Nonzero when the service with this (valid) config owns a NIC queue and the host path. */
int osk_service_needs_nic(const char *service, const void *config);
/* Range checks (schema) + the service's own validate + the data image after the config (prefix
 * sets: schema_check_data). Returns 0 or fills err. */
int osk_config_check(const char *service, const void *config, unsigned int config_len,
		     struct osk_config_error *err);
/* Bytes of storage osk_instance_create needs for the service with this (valid) config: the
 * backend objects, the service and the memory the config asks for (ServiceNeeds::arena_bytes). */
unsigned long osk_instance_size(const char *service, const void *config);
/* Builds the backend objects and the service in mem; returns the instance or NULL. */
void *osk_instance_create(void *mem, const char *service, const void *config,
			  unsigned int config_len, const struct osk_hw *hw);
/* Dead CPU: the backend loop; returns when *run reads 0. */
void osk_instance_run(void *inst, const int *run);
/* Hitless reload. The running config may take `next` (both valid)? 0, or -1 with err set. */
int osk_service_reload_check(const char *service, const void *running, const void *next,
			     struct osk_config_error *err);
/* Hands the config blob to the loop, which reloads the service between two steps; it must stay
 * until osk_instance_reload_taken() says the loop has taken it. It is read on the dead CPU, which
 * flushes its TLB first: kvmalloc memory is fine (docs/KERNEL.md, what the loop touches). */
void osk_instance_post_reload(void *inst, const void *config, unsigned int config_len);
int osk_instance_reload_taken(const void *inst);
unsigned int osk_stat_count(const void *inst);
const char *osk_stat_name(const void *inst, unsigned int i);
unsigned long long osk_stat_value(const void *inst, unsigned int i);
/* The service's channels with the online CPUs, as its kind declares them (model/channels.h);
 * the module implements each once, for any service. */
/* Nonzero if the service reads OS statistics an online CPU must publish. */
int osk_instance_wants_os_stats(const void *inst);
/* Online CPU: publishes one sample into the service's seqlock-protected statistics page. */
void osk_instance_publish_os_stats(void *inst, const struct osk_cpu_sample *cpus, unsigned int n,
				   unsigned long long mem_total_kb, unsigned long long mem_available_kb);
/* Nonzero if the service takes requests from online CPUs (a request ring with a text form). */
int osk_instance_takes_requests(const void *inst);
/* Online CPU (any, concurrently): one request in the service's text form. 0 posted, -EINVAL
 * malformed, -EAGAIN the ring is full. */
int osk_instance_post_request_text(void *inst, const char *text, unsigned int len);
/* Nonzero if the service reports completions to one online reader. */
int osk_instance_completes(const void *inst);
/* One completion as its reader sees it (model/channels.h's CompletionSummary). */
struct osk_completion {
	unsigned long long err_ns;     /* how late: completed - due */
	unsigned long long seq;        /* from 1: gaps are completions lost */
	unsigned long long periods;    /* periods it accounts for */
};
/* Online CPU (one at a time): takes the oldest completion; 1 if there was one, else 0. */
int osk_instance_pop_completion(void *inst, struct osk_completion *out);
/* The loop's own counters: iterations and iterations that found no work. */
unsigned long long osk_loop_iterations(const void *inst);
unsigned long long osk_loop_idle(const void *inst);
/* Frames the service reported as dropped (0), answered (1), passed (2): model/nic.h's Verdict. */
unsigned long long osk_rx_verdicts(const void *inst, unsigned int verdict);
/* The longest time between two loop iterations, ns: the loop's own blind spot. */
unsigned long long osk_loop_gap_max_ns(const void *inst);
/* The dead CPU's real rate from APERF/MPERF over the last 100 ms window, and the lowest window
 * since attach (kHz; 0 until a window closed, always 0 without aperfmperf). */
unsigned int osk_loop_effective_khz(const void *inst);
unsigned int osk_loop_effective_khz_min(const void *inst);

#ifdef __cplusplus
}
#endif

#endif
