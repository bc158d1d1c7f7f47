/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Fragment tracking, as Cilium does with enable-ipv4-fragment-tracking: the first fragment of a
 * datagram carries the transport header, so its ports are remembered under the datagram's identity
 * (addresses, protocol, IP identification) and given to the later fragments, which then follow the
 * first fragment's flow (conntrack, policy, counters). A later fragment whose first fragment was not
 * seen is dropped with FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND (175). Entries are never deleted
 * explicitly: the last fragment is not reliably the last to arrive, and the LRU recycles them. */
#ifndef SLUICE_FRAGMENTS_H
#define SLUICE_FRAGMENTS_H

#include "counters.h"
#include "maps.h"
#include "parse.h"

static __always_inline void frag_key(struct sluice_frag_key *key, const struct sluice_packet *pkt)
{
	copy16(key->saddr, pkt->saddr);
	copy16(key->daddr, pkt->daddr);
	key->id = pkt->fragment_id;
	key->protocol = pkt->protocol;
	key->family = pkt->family;
}

static __always_inline void frag_remember(const struct sluice_packet *pkt)
{
	struct sluice_frag_key key = {};
	struct sluice_frag_value value = {
		.sport_be = pkt->sport_be,
		.dport_be = pkt->dport_be,
		.icmp_type = pkt->icmp_type,
		.icmp_code = pkt->icmp_code,
		.icmp_kind = pkt->icmp_kind,
	};

	frag_key(&key, pkt);
	if (bpf_map_update_elem(&sluice_frags, &key, &value, BPF_ANY) == 0)
		count_debug(SLUICE_DBG_FRAG_TRACKED);
}

/* Gives a later fragment its first fragment's transport fields; 0 when the first was not seen. */
static __always_inline int frag_restore(struct sluice_packet *pkt)
{
	struct sluice_frag_key key = {};
	struct sluice_frag_value *value;

	frag_key(&key, pkt);
	value = bpf_map_lookup_elem(&sluice_frags, &key);
	if (!value)
		return 0;
	pkt->sport_be = value->sport_be;
	pkt->dport_be = value->dport_be;
	pkt->icmp_type = value->icmp_type;
	pkt->icmp_code = value->icmp_code;
	pkt->icmp_kind = value->icmp_kind;
	pkt->has_port = pkt->protocol == IPPROTO_TCP || pkt->protocol == IPPROTO_UDP ||
			pkt->protocol == IPPROTO_SCTP || pkt->protocol == IPPROTO_ICMP ||
			pkt->protocol == IPPROTO_ICMPV6;
	count_debug(SLUICE_DBG_FRAG_MATCHED);
	return 1;
}

#endif
