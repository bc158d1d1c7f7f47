/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Flow records into the sluice_events ring buffer. A record that cannot be reserved (ring full) is
 * counted in sluice_lost: loss is never silent. */
#ifndef SLUICE_EVENTS_H
#define SLUICE_EVENTS_H

#include "conntrack.h"
#include "flow.h"
#include "maps.h"
#include "parse.h"

/* What every event of one packet shares. */
struct sluice_flow_ctx {
	const struct sluice_endpoint *ep;
	const struct sluice_packet *pkt;
	__u64 now;             /* CLOCK_MONOTONIC_COARSE: timeouts, report intervals, rate limits */
	__u64 boot_ns;         /* CLOCK_BOOTTIME, read only when a record or a new flow needs it */
	__u32 ifindex;
	__u32 remote_identity; /* used when there is no conntrack entry */
	__u8 direction;        /* of this packet, relative to the endpoint */
};

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *lost = bpf_map_lookup_elem(&sluice_lost, &zero);

	if (lost)
		(*lost)++;
}

/* The precise clock costs a helper call of tens of nanoseconds (kernel/time/timekeeping.c), so the
 * per-packet path uses the coarse clock and only records read this one, once per packet. */
static __always_inline __u64 flow_boot_ns(struct sluice_flow_ctx *fc)
{
	if (!fc->boot_ns)
		fc->boot_ns = bpf_ktime_get_boot_ns();
	return fc->boot_ns;
}

static __always_inline void emit_flow(struct sluice_flow_ctx *fc, __u8 event_type, __u8 verdict,
				      __u8 reason, int is_reply, const struct sluice_ct_value *ct,
				      __u32 suppressed_drops)
{
	const struct sluice_packet *pkt = fc->pkt;
	struct sluice_flow *r;
	__u32 remote_identity = ct ? ct->remote_identity : fc->remote_identity;

	r = bpf_ringbuf_reserve(&sluice_events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return;
	}
	/* Reserved memory is not zeroed; clearing it first keeps padding and unused fields defined. */
	__builtin_memset(r, 0, sizeof(*r));
	r->version = SLUICE_FLOW_VERSION;
	r->event_type = event_type;
	r->verdict = verdict;
	r->drop_reason = reason;
	r->direction = is_reply ? flip_direction(fc->direction) : fc->direction;
	r->family = pkt->family;
	r->protocol = pkt->protocol;
	r->timestamp_ns = flow_boot_ns(fc);
	r->ifindex = fc->ifindex;
	r->endpoint_id = fc->ep->endpoint_id;
	if (fc->direction == SLUICE_DIR_EGRESS) {
		r->src_identity = fc->ep->identity;
		r->dst_identity = remote_identity;
	} else {
		r->src_identity = remote_identity;
		r->dst_identity = fc->ep->identity;
	}
	copy16(r->src_addr, pkt->saddr);
	copy16(r->dst_addr, pkt->daddr);
	if (pkt->protocol == IPPROTO_ICMP || pkt->protocol == IPPROTO_ICMPV6) {
		r->icmp_type = pkt->icmp_type;
		r->icmp_code = pkt->icmp_code;
	} else {
		r->src_port = bpf_ntohs(pkt->sport_be);
		r->dst_port = bpf_ntohs(pkt->dport_be);
	}
	r->tcp_flags = pkt->tcp_flags;
	r->is_reply = is_reply;
	r->suppressed_drops = suppressed_drops;
	if (ct) {
		r->flow_start_ns = ct->created_ns;
		r->tcp_flags_seen = ct->tcp_flags_fwd | ct->tcp_flags_rev;
		r->match_type = ct->match_type;
		r->ct_state = ct->state;
		r->policy_ref = ct->policy_ref;
		r->policy_revision = ct->policy_revision;
		r->packets_fwd = ct->packets_fwd;
		r->bytes_fwd = ct->bytes_fwd;
		r->packets_rev = ct->packets_rev;
		r->bytes_rev = ct->bytes_rev;
	} else {
		r->policy_revision = fc->ep->policy_revision;
	}
	bpf_ringbuf_submit(r, 0);
}

/* Drop events are rate-limited per flow to drop_events_per_sec; the ones held back are counted on
 * the entry and reported with the next emitted drop event. */
static __always_inline void emit_drop_limited(struct sluice_flow_ctx *fc, struct sluice_ct_value *ct)
{
	__u32 suppressed;

	if ((__s64)(fc->now - ct->drop_window_ns) >= (__s64)SLUICE_NSEC_PER_SEC) {
		ct->drop_window_ns = fc->now;
		ct->drops_in_window = 0;
	}
	if (ct->drops_in_window >= sluice_cfg.drop_events_per_sec) {
		__sync_fetch_and_add(&ct->suppressed_drops, 1);
		return;
	}
	ct->drops_in_window++;
	suppressed = ct->suppressed_drops;
	ct->suppressed_drops = 0;
	emit_flow(fc, SLUICE_EVENT_DROP, SLUICE_VERDICT_DROPPED, ct->drop_reason, 0, ct, suppressed);
}

/* Periodic counters of a long-lived flow, driven by its own packets. */
static __always_inline void emit_report_if_due(struct sluice_flow_ctx *fc, struct sluice_ct_value *ct,
					       __u8 verdict, int is_reply)
{
	__u64 interval = sluice_cfg.aggregation_interval_ns;

	if (!(sluice_cfg.node_flags & SLUICE_NODE_REPORTS) || interval == 0)
		return;
	if ((__s64)(fc->now - ct->last_report_ns) < (__s64)interval)
		return;
	ct->last_report_ns = fc->now;
	emit_flow(fc, SLUICE_EVENT_REPORT, verdict, verdict == SLUICE_VERDICT_AUDIT ? ct->drop_reason : 0,
		  is_reply, ct, 0);
}

#endif
