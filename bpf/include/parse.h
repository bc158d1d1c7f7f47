/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Packet parsing: Ethernet, IPv4 (with options), IPv6 (skipping hop-by-hop, routing, destination
 * options and fragment headers), TCP, UDP, SCTP, ICMP, ICMPv6, and the inner header of ICMP errors.
 *
 * Every read is preceded by a bounds check against data_end, offsets are masked so the verifier
 * can bound them, and nothing here can fail verification or read outside the packet: a packet
 * that does not fit returns a named drop reason instead. */
#ifndef SLUICE_PARSE_H
#define SLUICE_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/types.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "drop_reasons.h"

/* Bound on the IPv6 extension-header chain; a longer chain is dropped as invalid. */
#define SLUICE_MAX_IPV6_EXT 4
/* Headers this deep must be in the linear part of the skb; see sluice_linearize(). */
#define SLUICE_PULL_LEN 256

#define SLUICE_TCP_FIN 0x01
#define SLUICE_TCP_SYN 0x02
#define SLUICE_TCP_RST 0x04
#define SLUICE_TCP_ACK 0x10

/* parse_packet() results besides a drop reason. */
enum sluice_parse_result {
	SLUICE_PARSE_OK = 0,
	SLUICE_PARSE_PASS = 1, /* not subject to policy (ARP, IPv6 neighbour discovery) */
};

/* Where a packet stands in fragmentation. */
enum sluice_fragment {
	SLUICE_FRAG_NONE = 0,  /* not fragmented */
	SLUICE_FRAG_FIRST = 1, /* offset 0, more fragments follow: carries the transport header */
	SLUICE_FRAG_LATER = 2, /* non-zero offset: no transport header */
};

/* ICMP classification. */
enum sluice_icmp_kind {
	SLUICE_ICMP_NONE = 0,
	SLUICE_ICMP_ECHO = 1,  /* echo request or reply: tracked by identifier */
	SLUICE_ICMP_ERROR = 2, /* carries the header of the packet it reports on */
	SLUICE_ICMP_OTHER = 3,
};

struct sluice_packet {
	__u8 saddr[16];
	__u8 daddr[16];
	__be16 sport_be;     /* TCP/UDP/SCTP ports; for ICMP echo sport is the identifier */
	__be16 dport_be;     /* policy "port": the destination port, or the ICMP type */
	__u32 len;
	__u8 family;         /* 4 or 6 */
	__u8 protocol;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 icmp_kind;      /* enum sluice_icmp_kind */
	__u8 inner_protocol; /* for ICMP errors: the reported packet's tuple */
	__u8 inner_saddr[16];
	__u8 inner_daddr[16];
	__be16 inner_sport_be;
	__be16 inner_dport_be;
	__u8 inner_valid;
	__u8 has_port;       /* protocol has a policy port (TCP, UDP, SCTP, ICMP type) */
	__u8 fragment;       /* enum sluice_fragment */
	__u8 pad;
	__u32 fragment_id;   /* IPv4 identification or IPv6 fragment-header identification */
};

struct sluice_icmphdr {
	__u8 type;
	__u8 code;
	__be16 checksum;
	__be16 id;
	__be16 sequence;
};

struct sluice_ports {
	__be16 source;
	__be16 dest;
};

struct sluice_ipv6_ext {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-byte units, not counting the first 8 bytes */
};

struct sluice_ipv6_frag {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset in the top 13 bits, M flag in bit 0 */
	__be32 identification;
};

static __always_inline void copy16(__u8 *dst, const __u8 *src)
{
	__builtin_memcpy(dst, src, 16);
}

/* Make the first SLUICE_PULL_LEN bytes (or the whole packet) linear so direct packet access sees
 * every header. TCP segments built by the local stack usually have headers in the linear area
 * already, so the helper is called only when needed (net/core/filter.c: bpf_skb_pull_data). */
static __always_inline int sluice_linearize(struct __sk_buff *skb)
{
	__u32 linear = skb->data_end - skb->data;
	__u32 want = skb->len < SLUICE_PULL_LEN ? skb->len : SLUICE_PULL_LEN;

	if (linear >= want)
		return 0;
	return bpf_skb_pull_data(skb, want);
}

static __always_inline int icmp4_kind(__u8 type)
{
	switch (type) {
	case 0: /* echo reply */
	case 8: /* echo request */
		return SLUICE_ICMP_ECHO;
	case 3:  /* destination unreachable */
	case 11: /* time exceeded */
	case 12: /* parameter problem */
		return SLUICE_ICMP_ERROR;
	default:
		return SLUICE_ICMP_OTHER;
	}
}

static __always_inline int icmp6_kind(__u8 type)
{
	switch (type) {
	case 128: /* echo request */
	case 129: /* echo reply */
		return SLUICE_ICMP_ECHO;
	case 1: /* destination unreachable */
	case 2: /* packet too big */
	case 3: /* time exceeded */
	case 4: /* parameter problem */
		return SLUICE_ICMP_ERROR;
	default:
		return SLUICE_ICMP_OTHER;
	}
}

/* Inner header of an ICMP error: the start of the packet being reported (RFC 792/4443 guarantee
 * the IP header plus at least 8 bytes, enough for both ports). Best effort: an inner header that
 * does not fit leaves inner_valid 0 and the error is then handled like any other ICMP message. */
static __always_inline void parse_inner4(void *inner, void *end, struct sluice_packet *pkt)
{
	struct iphdr *ip = inner;
	__u32 hlen;

	if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
		return;
	hlen = (ip->ihl & 0xf) * 4;
	__builtin_memcpy(pkt->inner_saddr, &ip->saddr, 4);
	__builtin_memcpy(pkt->inner_daddr, &ip->daddr, 4);
	pkt->inner_protocol = ip->protocol;
	if (ip->protocol == IPPROTO_ICMP) {
		struct sluice_icmphdr *ic = inner + hlen;

		if ((void *)(ic + 1) > end)
			return;
		pkt->inner_sport_be = ic->id;
		pkt->inner_dport_be = 0;
	} else {
		struct sluice_ports *p = inner + hlen;

		if ((void *)(p + 1) > end)
			return;
		pkt->inner_sport_be = p->source;
		pkt->inner_dport_be = p->dest;
	}
	pkt->inner_valid = 1;
}

/* The inner IPv6 header is parsed without extension headers: an error about a packet that carried
 * some is not matched to its flow (it then goes through policy like any ICMPv6 message). */
static __always_inline void parse_inner6(void *inner, void *end, struct sluice_packet *pkt)
{
	struct ipv6hdr *ip6 = inner;

	if ((void *)(ip6 + 1) > end)
		return;
	copy16(pkt->inner_saddr, ip6->saddr.in6_u.u6_addr8);
	copy16(pkt->inner_daddr, ip6->daddr.in6_u.u6_addr8);
	pkt->inner_protocol = ip6->nexthdr;
	if (ip6->nexthdr == IPPROTO_ICMPV6) {
		struct sluice_icmphdr *ic = (void *)(ip6 + 1);

		if ((void *)(ic + 1) > end)
			return;
		pkt->inner_sport_be = ic->id;
		pkt->inner_dport_be = 0;
	} else {
		struct sluice_ports *p = (void *)(ip6 + 1);

		if ((void *)(p + 1) > end)
			return;
		pkt->inner_sport_be = p->source;
		pkt->inner_dport_be = p->dest;
	}
	pkt->inner_valid = 1;
}

/* Transport header at l4. Ports and flags are filled in; a truncated header is a drop reason. */
static __always_inline int parse_l4(void *l4, void *end, struct sluice_packet *pkt)
{
	switch (pkt->protocol) {
	case IPPROTO_TCP: {
		__u8 *tcp = l4;

		if ((void *)(tcp + 20) > end)
			return SLUICE_DROP_CT_INVALID_HEADER;
		/* Data offset below 5 words cannot hold the fixed header: bogus. */
		if ((tcp[12] >> 4) < 5)
			return SLUICE_DROP_CT_INVALID_HEADER;
		pkt->sport_be = ((struct sluice_ports *)tcp)->source;
		pkt->dport_be = ((struct sluice_ports *)tcp)->dest;
		pkt->tcp_flags = tcp[13];
		pkt->has_port = 1;
		break;
	}
	case IPPROTO_UDP:
	case IPPROTO_SCTP: {
		/* UDP's 8-byte header and SCTP's 12-byte common header both start with the ports. */
		struct sluice_ports *p = l4;
		__u32 need = pkt->protocol == IPPROTO_UDP ? 8 : 12;

		if (l4 + need > end)
			return SLUICE_DROP_CT_INVALID_HEADER;
		pkt->sport_be = p->source;
		pkt->dport_be = p->dest;
		pkt->has_port = 1;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		struct sluice_icmphdr *ic = l4;

		if ((void *)(ic + 1) > end)
			return SLUICE_DROP_CT_INVALID_HEADER;
		pkt->icmp_type = ic->type;
		pkt->icmp_code = ic->code;
		pkt->dport_be = bpf_htons(ic->type);
		pkt->has_port = 1;
		if (pkt->protocol == IPPROTO_ICMP) {
			pkt->icmp_kind = icmp4_kind(ic->type);
		} else {
			/* Neighbour discovery (RFC 4861, types 133-137) is link plumbing the endpoint
			 * needs before any policy can matter; it is passed without policy. */
			if (ic->type >= 133 && ic->type <= 137)
				return SLUICE_PARSE_PASS;
			pkt->icmp_kind = icmp6_kind(ic->type);
		}
		if (pkt->icmp_kind == SLUICE_ICMP_ECHO)
			pkt->sport_be = ic->id;
		else if (pkt->icmp_kind == SLUICE_ICMP_ERROR) {
			if (pkt->family == 4)
				parse_inner4(ic + 1, end, pkt);
			else
				parse_inner6(ic + 1, end, pkt);
		}
		break;
	}
	default:
		/* Other protocols: policy on identity and protocol; no ports. */
		break;
	}
	return SLUICE_PARSE_OK;
}

static __always_inline int parse_ipv4(void *l3, void *end, struct sluice_packet *pkt)
{
	struct iphdr *ip = l3;
	__u32 hlen;

	if ((void *)(ip + 1) > end)
		return SLUICE_DROP_INVALID_PACKET;
	if (ip->version != 4 || ip->ihl < 5)
		return SLUICE_DROP_INVALID_PACKET;
	hlen = (ip->ihl & 0xf) * 4;
	if (l3 + hlen > end || bpf_ntohs(ip->tot_len) < hlen)
		return SLUICE_DROP_INVALID_PACKET;
	pkt->family = 4;
	pkt->protocol = ip->protocol;
	__builtin_memcpy(pkt->saddr, &ip->saddr, 4);
	__builtin_memcpy(pkt->daddr, &ip->daddr, 4);
	pkt->fragment_id = bpf_ntohs(ip->id);
	/* A non-zero fragment offset: the transport header is in another fragment. */
	if (ip->frag_off & bpf_htons(0x1fff)) {
		pkt->fragment = SLUICE_FRAG_LATER;
		return SLUICE_PARSE_OK;
	}
	if (ip->frag_off & bpf_htons(0x2000)) /* more fragments */
		pkt->fragment = SLUICE_FRAG_FIRST;
	return parse_l4(l3 + hlen, end, pkt);
}

static __always_inline int parse_ipv6(void *l3, void *end, struct sluice_packet *pkt)
{
	struct ipv6hdr *ip6 = l3;
	void *cur;
	__u8 next;

	if ((void *)(ip6 + 1) > end)
		return SLUICE_DROP_INVALID_PACKET;
	if (ip6->version != 6)
		return SLUICE_DROP_INVALID_PACKET;
	pkt->family = 6;
	copy16(pkt->saddr, ip6->saddr.in6_u.u6_addr8);
	copy16(pkt->daddr, ip6->daddr.in6_u.u6_addr8);
	next = ip6->nexthdr;
	cur = ip6 + 1;

#pragma unroll
	for (int i = 0; i < SLUICE_MAX_IPV6_EXT; i++) {
		if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS) {
			struct sluice_ipv6_ext *ext = cur;

			if ((void *)(ext + 1) > end)
				return SLUICE_DROP_INVALID_IPV6_EXT;
			next = ext->nexthdr;
			cur += ((__u32)ext->hdrlen + 1) * 8;
			if (cur > end)
				return SLUICE_DROP_INVALID_IPV6_EXT; /* header runs past the packet */
		} else if (next == IPPROTO_FRAGMENT) {
			struct sluice_ipv6_frag *frag = cur;

			if ((void *)(frag + 1) > end)
				return SLUICE_DROP_INVALID_IPV6_EXT;
			next = frag->nexthdr;
			cur += sizeof(*frag);
			pkt->fragment_id = bpf_ntohl(frag->identification);
			if (frag->frag_off & bpf_htons(0xfff8)) {
				pkt->protocol = next;
				pkt->fragment = SLUICE_FRAG_LATER;
				return SLUICE_PARSE_OK; /* non-first fragment: no transport header */
			}
			if (frag->frag_off & bpf_htons(0x0001))
				pkt->fragment = SLUICE_FRAG_FIRST;
		} else {
			break;
		}
	}
	if (next == IPPROTO_HOPOPTS || next == IPPROTO_ROUTING || next == IPPROTO_DSTOPTS ||
	    next == IPPROTO_FRAGMENT)
		return SLUICE_DROP_INVALID_IPV6_EXT;
	pkt->protocol = next;
	return parse_l4(cur, end, pkt);
}

/* Returns SLUICE_PARSE_OK, SLUICE_PARSE_PASS or a drop reason. */
static __always_inline int parse_packet(struct __sk_buff *skb, struct sluice_packet *pkt)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	pkt->len = skb->len;
	if ((void *)(eth + 1) > end)
		return SLUICE_DROP_INVALID_PACKET;
	switch (eth->h_proto) {
	case bpf_htons(ETH_P_IP):
		return parse_ipv4(eth + 1, end, pkt);
	case bpf_htons(ETH_P_IPV6):
		return parse_ipv6(eth + 1, end, pkt);
	case bpf_htons(ETH_P_ARP):
		return SLUICE_PARSE_PASS;
	default:
		return SLUICE_DROP_UNSUPPORTED_L3;
	}
}

#endif
