/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Load-time configuration, a read-only global (.rodata) set by the loader before load.
 *
 * Being the only global in .rodata, its layout is the whole section, mirrored by
 * src/Bpf/Abi/DatapathConfig.cs. The verifier sees the values as constants after load. */
#ifndef SLUICE_CONFIG_H
#define SLUICE_CONFIG_H

#include <linux/types.h>

#define SLUICE_NSEC_PER_SEC 1000000000ULL

enum sluice_node_flags {
	/* Emit SLUICE_EVENT_REPORT for long-lived flows every aggregation_interval_ns. */
	SLUICE_NODE_REPORTS = 1 << 0,
};

struct sluice_config {
	__u64 aggregation_interval_ns; /* period of flow reports */
	__u64 tcp_idle_ns;             /* an open TCP flow idle this long is forgotten */
	__u64 tcp_close_ns;            /* an entry lives this long after FIN or RST */
	__u64 udp_idle_ns;             /* UDP and SCTP idle timeout */
	__u64 icmp_idle_ns;            /* ICMP and other protocols */
	__u32 drop_events_per_sec;     /* per flow; excess drops are counted, not emitted */
	__u32 node_flags;              /* enum sluice_node_flags */
};

/* Defaults match the daemon's documented defaults; the loader overwrites them. */
const volatile struct sluice_config sluice_cfg = {
	.aggregation_interval_ns = 5 * SLUICE_NSEC_PER_SEC,
	.tcp_idle_ns = 6 * 3600 * SLUICE_NSEC_PER_SEC,
	.tcp_close_ns = 10 * SLUICE_NSEC_PER_SEC,
	.udp_idle_ns = 60 * SLUICE_NSEC_PER_SEC,
	.icmp_idle_ns = 60 * SLUICE_NSEC_PER_SEC,
	.drop_events_per_sec = 1,
	.node_flags = SLUICE_NODE_REPORTS,
};

#endif
