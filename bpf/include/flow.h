/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The kernel -> user flow record written to the sluice_events ring buffer.
 *
 * This is a wire contract with src/Bpf/Abi/FlowRecord.cs: fixed-width fields, explicit padding, no
 * implicit holes, naturally aligned, and a version that changes whenever the layout does. The C#
 * test tests/Bpf.Tests/Abi proves sizes and offsets against this object's BTF. Enumerated fields use
 * Hubble's numbers (flow.proto) so user space can pass them through. */
#ifndef SLUICE_FLOW_H
#define SLUICE_FLOW_H

#include <linux/types.h>

#define SLUICE_FLOW_VERSION 1

/* Hubble Verdict values. */
enum sluice_verdict {
	SLUICE_VERDICT_FORWARDED = 1,
	SLUICE_VERDICT_DROPPED = 2,
	SLUICE_VERDICT_AUDIT = 4,
};

/* Hubble TrafficDirection values, from the endpoint's point of view. */
enum sluice_direction {
	SLUICE_DIR_INGRESS = 1, /* towards the endpoint: tc egress of its host-side interface */
	SLUICE_DIR_EGRESS = 2,  /* from the endpoint: tc ingress of its host-side interface */
};

enum sluice_event_type {
	SLUICE_EVENT_FLOW_NEW = 1,  /* first packet of a flow was forwarded (verdict FORWARDED/AUDIT) */
	SLUICE_EVENT_DROP = 2,      /* a packet was dropped (rate-limited per flow) */
	SLUICE_EVENT_TCP_FLAGS = 3, /* SYN, FIN or RST seen for the first time in this direction */
	SLUICE_EVENT_REPORT = 4,    /* periodic byte/packet counters of a long-lived flow */
	SLUICE_EVENT_POLICY_CHANGE = 5, /* an established flow was re-checked under a new revision */
};

/* Hubble policy_match_type values. */
enum sluice_match_type {
	SLUICE_MATCH_NONE = 0,
	SLUICE_MATCH_L3_ONLY = 1,
	SLUICE_MATCH_L3_L4 = 2,
	SLUICE_MATCH_L4_ONLY = 3,
	SLUICE_MATCH_ALL = 4,
	SLUICE_MATCH_L3_PROTO = 5,
	SLUICE_MATCH_PROTO_ONLY = 6,
};

struct sluice_flow {
	__u16 version;          /* SLUICE_FLOW_VERSION */
	__u8 event_type;        /* enum sluice_event_type */
	__u8 verdict;           /* enum sluice_verdict */
	__u8 drop_reason;       /* enum sluice_drop_reason; for AUDIT the would-be reason */
	__u8 direction;         /* enum sluice_direction of the flow (its initiating packet), as Hubble's
	                         * traffic_direction: a reply to an egress flow is EGRESS, is_reply 1 */
	__u8 family;            /* 4 or 6 */
	__u8 protocol;          /* IPPROTO_* */
	__u64 timestamp_ns;     /* CLOCK_BOOTTIME of this event */
	__u64 flow_start_ns;    /* CLOCK_BOOTTIME of the flow's first packet (0: no flow state) */
	__u32 ifindex;          /* host-side interface */
	__u32 endpoint_id;
	__u32 src_identity;
	__u32 dst_identity;
	__u8 src_addr[16];      /* IPv4 in the first 4 bytes, network order */
	__u8 dst_addr[16];
	__u16 src_port;         /* host order; 0 for ICMP */
	__u16 dst_port;
	__u8 tcp_flags;         /* flags of this packet (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20) */
	__u8 tcp_flags_seen;    /* union of flags seen on the flow, both directions */
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 is_reply;          /* packet travels against the flow's initiating direction */
	__u8 match_type;        /* enum sluice_match_type */
	__u8 ct_state;          /* enum sluice_ct_state of the flow after this packet */
	__u8 pad0;
	__u32 policy_ref;       /* id of the rule set that decided (0: none) */
	__u32 policy_revision;  /* endpoint revision the verdict was taken under */
	__u32 suppressed_drops; /* drop events suppressed by rate limiting since the last one */
	__u64 packets_fwd;      /* flow counters in the initiating direction */
	__u64 bytes_fwd;
	__u64 packets_rev;      /* and in the reply direction */
	__u64 bytes_rev;
};

#endif
