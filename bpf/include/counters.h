/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Per-CPU packet/byte counters and debug counters. Counters are updated for every packet, whether
 * or not a flow record is emitted, so metrics stay exact when events are lost. */
#ifndef SLUICE_COUNTERS_H
#define SLUICE_COUNTERS_H

#include "flow.h"
#include "maps.h"

static __always_inline __u32 counter_index(__u8 direction, __u8 verdict, __u8 reason)
{
	__u32 dir_index = direction == SLUICE_DIR_EGRESS ? 1 : 0;
	__u32 verdict_index = verdict == SLUICE_VERDICT_DROPPED ? 1 : verdict == SLUICE_VERDICT_AUDIT ? 2 : 0;

	return (dir_index * 3 + verdict_index) * SLUICE_REASON_SLOTS + reason;
}

static __always_inline void count_packet(__u8 direction, __u8 verdict, __u8 reason, __u32 len)
{
	__u32 index = counter_index(direction, verdict, reason);
	struct sluice_counter *c = bpf_map_lookup_elem(&sluice_counters, &index);

	/* Per-CPU values: no other CPU writes this slot, plain increments are exact. */
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

static __always_inline void count_debug(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&sluice_debug, &which);

	if (c)
		(*c)++;
}

#endif
