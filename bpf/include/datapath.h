/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The per-packet decision shared by both tc programs: parse, conntrack, policy, counters, events.
 *
 * Path of a packet, in order:
 *   1. Interface without an endpoint entry: passed untouched (debug counter only).
 *   2. ARP and IPv6 neighbour discovery: passed without policy.
 *   3. Malformed packet, or non-first fragment whose first fragment was not seen (fragments.h):
 *      dropped with its reason (audit mode does not apply: it audits policy, not parsing), drop
 *      event emitted. Other fragments continue with their first fragment's ports.
 *   4. Conntrack hit in the initiating direction: the cached verdict, re-decided first when the
 *      endpoint's policy revision differs from the one stored on the entry.
 *   5. Conntrack hit in the reply direction of a flow that was forwarded: passed, no policy.
 *   6. ICMP error quoting such a flow (related): passed, no policy.
 *   7. Otherwise a new flow: ipcache + policy, entry created (also for drops, which rate-limits
 *      their events), new-flow or drop event emitted. */
#ifndef SLUICE_DATAPATH_H
#define SLUICE_DATAPATH_H

#include <linux/pkt_cls.h>

#include "conntrack.h"
#include "counters.h"
#include "events.h"
#include "fragments.h"
#include "ipcache.h"
#include "maps.h"
#include "parse.h"
#include "policy.h"

static __always_inline int tc_verdict(__u8 verdict)
{
	return verdict == SLUICE_VERDICT_DROPPED ? TC_ACT_SHOT : TC_ACT_OK;
}

static __always_inline const __u8 *remote_addr(const struct sluice_packet *pkt, __u8 direction)
{
	return direction == SLUICE_DIR_EGRESS ? pkt->daddr : pkt->saddr;
}

static __always_inline int drop_unparsed(struct sluice_flow_ctx *fc, __u8 reason)
{
	if (fc->pkt->family)
		fc->remote_identity = ipcache_identity(fc->pkt->family, remote_addr(fc->pkt, fc->direction));
	count_packet(fc->direction, SLUICE_VERDICT_DROPPED, reason, fc->pkt->len);
	emit_flow(fc, SLUICE_EVENT_DROP, SLUICE_VERDICT_DROPPED, reason, 0, 0, 0);
	return TC_ACT_SHOT;
}

static __always_inline int handle_forward(struct sluice_flow_ctx *fc, struct sluice_ct_value *ct)
{
	const struct sluice_packet *pkt = fc->pkt;
	__u8 fresh;

	if (ct->policy_revision != fc->ep->policy_revision) {
		struct sluice_decision d;
		int changed;

		count_debug(SLUICE_DBG_RECHECK);
		/* The remote's identity may have changed with the same apply. */
		ct->remote_identity = ipcache_identity(pkt->family, remote_addr(pkt, fc->direction));
		policy_decide(fc->ep, fc->direction, ct->remote_identity, pkt, &d);
		changed = d.verdict != ct->verdict || d.policy_ref != ct->policy_ref;
		ct->verdict = d.verdict;
		ct->drop_reason = d.reason;
		ct->match_type = d.match_type;
		ct->policy_ref = d.policy_ref;
		ct->policy_revision = fc->ep->policy_revision;
		ct->drops_in_window = 0;
		/* A flow that turned to DROPPED is reported by the drop event below. */
		if (changed && d.verdict != SLUICE_VERDICT_DROPPED)
			emit_flow(fc, SLUICE_EVENT_POLICY_CHANGE, d.verdict, d.reason, 0, ct, 0);
	}
	ct->last_seen_ns = fc->now;
	__sync_fetch_and_add(&ct->packets_fwd, 1);
	__sync_fetch_and_add(&ct->bytes_fwd, pkt->len);
	count_packet(fc->direction, ct->verdict, ct->drop_reason, pkt->len);
	if (ct->verdict == SLUICE_VERDICT_DROPPED) {
		emit_drop_limited(fc, ct);
		return TC_ACT_SHOT;
	}
	fresh = ct_track_tcp(ct, pkt, 0);
	if (fresh)
		emit_flow(fc, SLUICE_EVENT_TCP_FLAGS, ct->verdict, ct->drop_reason, 0, ct, 0);
	else
		emit_report_if_due(fc, ct, ct->verdict, 0);
	return TC_ACT_OK;
}

static __always_inline int handle_reply(struct sluice_flow_ctx *fc, struct sluice_ct_value *ct)
{
	const struct sluice_packet *pkt = fc->pkt;
	__u8 fresh;

	ct->last_seen_ns = fc->now;
	if (ct->state == SLUICE_CT_NEW)
		ct->state = SLUICE_CT_ESTABLISHED;
	__sync_fetch_and_add(&ct->packets_rev, 1);
	__sync_fetch_and_add(&ct->bytes_rev, pkt->len);
	count_packet(fc->direction, SLUICE_VERDICT_FORWARDED, SLUICE_REASON_NONE, pkt->len);
	fresh = ct_track_tcp(ct, pkt, 1);
	if (fresh)
		emit_flow(fc, SLUICE_EVENT_TCP_FLAGS, SLUICE_VERDICT_FORWARDED, SLUICE_REASON_NONE, 1, ct, 0);
	else
		emit_report_if_due(fc, ct, SLUICE_VERDICT_FORWARDED, 1);
	return TC_ACT_OK;
}

/* An ICMP error is related when the packet it quotes belongs to a flow of this endpoint whose replies
 * pass (see ct_passes_replies). */
static __always_inline int is_related(struct sluice_flow_ctx *fc)
{
	struct sluice_ct_key key = {};
	struct sluice_ct_value *ct;

	if (fc->pkt->icmp_kind != SLUICE_ICMP_ERROR || !fc->pkt->inner_valid)
		return 0;
	ct_key_from_inner(&key, fc->pkt, fc->ep->endpoint_id, fc->direction);
	ct = bpf_map_lookup_elem(&sluice_ct, &key);
	if (!ct) {
		key.direction = flip_direction(key.direction);
		ct = bpf_map_lookup_elem(&sluice_ct, &key);
	}
	return ct && ct_passes_replies(ct);
}

static __always_inline int handle_new(struct sluice_flow_ctx *fc, const struct sluice_ct_key *key)
{
	const struct sluice_packet *pkt = fc->pkt;
	struct sluice_decision d;
	struct sluice_ct_value ct = {};

	fc->remote_identity = ipcache_identity(pkt->family, remote_addr(pkt, fc->direction));
	policy_decide(fc->ep, fc->direction, fc->remote_identity, pkt, &d);

	ct.created_ns = flow_boot_ns(fc);
	ct.last_seen_ns = fc->now;
	ct.last_report_ns = fc->now;
	ct.drop_window_ns = fc->now;
	ct.packets_fwd = 1;
	ct.bytes_fwd = pkt->len;
	ct.remote_identity = fc->remote_identity;
	ct.policy_revision = fc->ep->policy_revision;
	ct.policy_ref = d.policy_ref;
	ct.verdict = d.verdict;
	ct.drop_reason = d.reason;
	ct.match_type = d.match_type;
	ct.drops_in_window = d.verdict == SLUICE_VERDICT_DROPPED;
	ct_track_tcp(&ct, pkt, 0);
	if (bpf_map_update_elem(&sluice_ct, key, &ct, BPF_ANY))
		count_debug(SLUICE_DBG_CT_CREATE_FAIL);

	count_packet(fc->direction, d.verdict, d.reason, pkt->len);
	emit_flow(fc, d.verdict == SLUICE_VERDICT_DROPPED ? SLUICE_EVENT_DROP : SLUICE_EVENT_FLOW_NEW,
		  d.verdict, d.reason, 0, &ct, 0);
	return tc_verdict(d.verdict);
}

static __always_inline int handle_packet(struct __sk_buff *skb, __u8 direction)
{
	__u32 ifindex = skb->ifindex;
	struct sluice_endpoint *ep;
	struct sluice_packet pkt = {};
	struct sluice_flow_ctx fc;
	struct sluice_ct_key key = {};
	struct sluice_ct_value *ct;
	int res;

	ep = bpf_map_lookup_elem(&sluice_endpoints, &ifindex);
	if (!ep) {
		count_debug(SLUICE_DBG_NO_ENDPOINT);
		return TC_ACT_OK;
	}
	if (sluice_linearize(skb))
		count_debug(SLUICE_DBG_PULL_FAIL); /* parsing then reports what is missing */

	fc.ep = ep;
	fc.pkt = &pkt;
	fc.now = bpf_ktime_get_coarse_ns();
	fc.boot_ns = 0;
	fc.ifindex = ifindex;
	fc.remote_identity = 0;
	fc.direction = direction;

	res = parse_packet(skb, &pkt);
	if (res == SLUICE_PARSE_PASS) {
		count_packet(direction, SLUICE_VERDICT_FORWARDED, SLUICE_REASON_NONE, pkt.len);
		count_debug(pkt.family ? SLUICE_DBG_PASS_ND : SLUICE_DBG_PASS_L2);
		return TC_ACT_OK;
	}
	if (res != SLUICE_PARSE_OK)
		return drop_unparsed(&fc, res);
	if (pkt.fragment == SLUICE_FRAG_FIRST)
		frag_remember(&pkt);
	else if (pkt.fragment == SLUICE_FRAG_LATER && !frag_restore(&pkt))
		return drop_unparsed(&fc, SLUICE_DROP_FRAG_NOT_FOUND);

	ct_key_from_packet(&key, &pkt, ep->endpoint_id, direction);
	ct = bpf_map_lookup_elem(&sluice_ct, &key);
	if (ct) {
		if (!ct_is_stale(ct, &pkt, fc.now))
			return handle_forward(&fc, ct);
		count_debug(SLUICE_DBG_CT_EXPIRED);
	}
	key.direction = flip_direction(direction);
	ct = bpf_map_lookup_elem(&sluice_ct, &key);
	if (ct && ct_passes_replies(ct) && !ct_is_stale(ct, &pkt, fc.now))
		return handle_reply(&fc, ct);
	if (is_related(&fc)) {
		count_packet(direction, SLUICE_VERDICT_FORWARDED, SLUICE_REASON_NONE, pkt.len);
		count_debug(SLUICE_DBG_RELATED);
		return TC_ACT_OK;
	}
	key.direction = direction;
	return handle_new(&fc, &key);
}

#endif
