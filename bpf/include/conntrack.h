/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Connection tracking keys, timeouts and TCP state for sluice_ct. */
#ifndef SLUICE_CONNTRACK_H
#define SLUICE_CONNTRACK_H

#include "config.h"
#include "flow.h"
#include "maps.h"
#include "parse.h"

static __always_inline __u8 flip_direction(__u8 direction)
{
	return direction == SLUICE_DIR_EGRESS ? SLUICE_DIR_INGRESS : SLUICE_DIR_EGRESS;
}

/* Ports that identify a flow: transport ports; for ICMP echo the identifier (request and reply both
 * carry it, so they meet in one entry); for other ICMP messages the type, so that messages of
 * different types are separate flows with separate verdicts. */
static __always_inline void ct_ports(__u8 protocol, __u8 icmp_kind, __u8 packet_direction,
				     __be16 sport, __be16 dport, __be16 *local, __be16 *remote)
{
	if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6) {
		*local = icmp_kind == SLUICE_ICMP_ECHO ? sport : 0;
		*remote = icmp_kind == SLUICE_ICMP_ECHO ? 0 : dport;
	} else if (packet_direction == SLUICE_DIR_EGRESS) {
		*local = sport;
		*remote = dport;
	} else {
		*local = dport;
		*remote = sport;
	}
}

/* Key of the flow this packet belongs to, assuming it travels in the initiating direction. */
static __always_inline void ct_key_from_packet(struct sluice_ct_key *key, const struct sluice_packet *pkt,
					       __u16 endpoint_id, __u8 packet_direction)
{
	const __u8 *local = packet_direction == SLUICE_DIR_EGRESS ? pkt->saddr : pkt->daddr;
	const __u8 *remote = packet_direction == SLUICE_DIR_EGRESS ? pkt->daddr : pkt->saddr;

	copy16(key->local_addr, local);
	copy16(key->remote_addr, remote);
	ct_ports(pkt->protocol, pkt->icmp_kind, packet_direction, pkt->sport_be, pkt->dport_be,
		 &key->local_port_be, &key->remote_port_be);
	key->endpoint_id = endpoint_id;
	key->protocol = pkt->protocol;
	key->direction = packet_direction;
	key->family = pkt->family;
}

/* Key of the flow an ICMP error reports on. The quoted packet travelled opposite to the error, so
 * its orientation is computed with the flipped direction; `direction` is left for the caller to
 * try both ways (the quoted packet may itself have been a reply). */
static __always_inline void ct_key_from_inner(struct sluice_ct_key *key, const struct sluice_packet *pkt,
					      __u16 endpoint_id, __u8 packet_direction)
{
	__u8 inner_direction = flip_direction(packet_direction);
	const __u8 *local = inner_direction == SLUICE_DIR_EGRESS ? pkt->inner_saddr : pkt->inner_daddr;
	const __u8 *remote = inner_direction == SLUICE_DIR_EGRESS ? pkt->inner_daddr : pkt->inner_saddr;
	__u8 kind = SLUICE_ICMP_NONE;

	if (pkt->inner_protocol == IPPROTO_ICMP || pkt->inner_protocol == IPPROTO_ICMPV6)
		kind = SLUICE_ICMP_ECHO; /* an error is never sent about an error (RFC 1122 3.2.2) */
	copy16(key->local_addr, local);
	copy16(key->remote_addr, remote);
	ct_ports(pkt->inner_protocol, kind, inner_direction, pkt->inner_sport_be, pkt->inner_dport_be,
		 &key->local_port_be, &key->remote_port_be);
	key->endpoint_id = endpoint_id;
	key->protocol = pkt->inner_protocol;
	key->direction = inner_direction;
	key->family = pkt->family;
}

static __always_inline __u64 ct_timeout(const struct sluice_ct_value *ct, __u8 protocol)
{
	if (ct->state == SLUICE_CT_CLOSING)
		return sluice_cfg.tcp_close_ns;
	switch (protocol) {
	case IPPROTO_TCP:
		return sluice_cfg.tcp_idle_ns;
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		return sluice_cfg.udp_idle_ns;
	default:
		return sluice_cfg.icmp_idle_ns;
	}
}

/* An entry is no longer a flow once idle past its timeout, or, for a closing TCP flow, when a
 * fresh SYN reuses the tuple: both start a new flow (policy, new-flow event). */
static __always_inline int ct_is_stale(const struct sluice_ct_value *ct, const struct sluice_packet *pkt,
				       __u64 now)
{
	/* Signed: another CPU may have stored a slightly later time than this packet's `now`. */
	if ((__s64)(now - ct->last_seen_ns) > (__s64)ct_timeout(ct, pkt->protocol))
		return 1;
	return pkt->protocol == IPPROTO_TCP && ct->state == SLUICE_CT_CLOSING &&
	       (pkt->tcp_flags & (SLUICE_TCP_SYN | SLUICE_TCP_ACK)) == SLUICE_TCP_SYN;
}

/* Replies (and related ICMP errors) of a flow skip policy once the flow has been forwarded: its verdict
 * is not DROPPED, or it was established before a re-check under a new revision dropped it (as in
 * Cilium, a revoked connection's replies still pass; its initiating side is what gets cut). A flow
 * denied from its first packet has no replies: a packet the other way is a new flow of its own. */
static __always_inline int ct_passes_replies(const struct sluice_ct_value *ct)
{
	return ct->verdict != SLUICE_VERDICT_DROPPED || ct->state != SLUICE_CT_NEW;
}

/* Records the packet's TCP flags on the entry; returns the SYN/FIN/RST bits not seen before in this
 * direction (the caller reports those as a flag-change event). FIN or RST moves to CLOSING. */
static __always_inline __u8 ct_track_tcp(struct sluice_ct_value *ct, const struct sluice_packet *pkt,
					 int is_reply)
{
	__u8 seen, fresh;

	if (pkt->protocol != IPPROTO_TCP)
		return 0;
	seen = is_reply ? ct->tcp_flags_rev : ct->tcp_flags_fwd;
	fresh = pkt->tcp_flags & (SLUICE_TCP_SYN | SLUICE_TCP_FIN | SLUICE_TCP_RST) & ~seen;
	/* Write only on change: the established fast path then leaves the entry's line clean. */
	if ((seen | pkt->tcp_flags) != seen) {
		if (is_reply)
			ct->tcp_flags_rev = seen | pkt->tcp_flags;
		else
			ct->tcp_flags_fwd = seen | pkt->tcp_flags;
	}
	if (pkt->tcp_flags & (SLUICE_TCP_FIN | SLUICE_TCP_RST))
		ct->state = SLUICE_CT_CLOSING;
	return fresh;
}

#endif
