/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Every map of the datapath, its key and value. Map names are a contract with the daemon (which
 * pins and fills them) and every key/value has a C# mirror under src/Bpf/Abi/ whose layout a test
 * checks against this object's BTF. Multi-byte fields are host order unless named *_be. */
#ifndef SLUICE_MAPS_H
#define SLUICE_MAPS_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "drop_reasons.h"

/* ---- sluice_endpoints: host-side ifindex -> endpoint ------------------------------------------ */

enum sluice_policy_mode {
	SLUICE_MODE_ENFORCE = 0,
	SLUICE_MODE_AUDIT = 1, /* would-be drops are forwarded with verdict AUDIT */
};

enum sluice_enforce_flags {
	SLUICE_ENFORCE_INGRESS = 1 << 0, /* default-deny active for traffic to the endpoint */
	SLUICE_ENFORCE_EGRESS = 1 << 1,  /* default-deny active for traffic from the endpoint */
};

struct sluice_endpoint {
	__u32 identity;        /* the endpoint's own security identity */
	__u16 endpoint_id;
	__u8 policy_mode;      /* enum sluice_policy_mode */
	__u8 enforce_flags;    /* enum sluice_enforce_flags */
	__u8 active_slot;      /* 0 or 1: which sluice_policy slot readers use */
	__u8 pad[3];
	__u32 policy_revision; /* bumped with every apply; conntrack re-checks when it changes */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32); /* ifindex */
	__type(value, struct sluice_endpoint);
} sluice_endpoints SEC(".maps");

/* ---- sluice_ipcache: address prefix -> identity (LPM trie) ------------------------------------ */

/* prefixlen counts the family byte and the three pad bytes, so an address prefix of N bits is
 * stored with prefixlen 32 + N; IPv4 addresses occupy addr[0..3]. A miss means WORLD. */
struct sluice_ipcache_key {
	__u32 prefixlen;
	__u8 family; /* 4 or 6 */
	__u8 pad[3];
	__u8 addr[16];
};

struct sluice_ipcache_value {
	__u32 identity;
};

#define SLUICE_IDENTITY_WORLD 2
#define SLUICE_IPCACHE_PREFIX_BASE 32

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* required for LPM tries */
	__type(key, struct sluice_ipcache_key);
	__type(value, struct sluice_ipcache_value);
} sluice_ipcache SEC(".maps");

/* ---- sluice_policy: per-endpoint policy entries (LPM trie) ------------------------------------ */

/* The data after prefixlen is 96 bits: endpoint_id, slot, direction (32 bits) and remote_identity
 * (32 bits) are always fully specified, so every entry has prefixlen >= 64:
 *   64       any protocol, any port          (identity-only entry)
 *   80       protocol, any port              (protocol + pad byte)
 *   80 + k   protocol, port prefix of k bits (a port range is a set of such entries; 96 = one port)
 * dport_be is big-endian so that a numeric port prefix is also a bit prefix. For ICMP and ICMPv6
 * the "port" is the ICMP type. remote_identity 0 means "any identity". */
struct sluice_policy_key {
	__u32 prefixlen;
	__u16 endpoint_id;
	__u8 slot;
	__u8 direction; /* enum sluice_direction */
	__u32 remote_identity;
	__u8 protocol;
	__u8 pad;
	__be16 dport_be;
};

#define SLUICE_POLICY_PREFIX_IDENTITY 64
#define SLUICE_POLICY_PREFIX_PROTO 80
#define SLUICE_POLICY_PREFIX_FULL 96

struct sluice_policy_value {
	__u8 deny;       /* 1: explicit deny (drop reason POLICY_DENY) */
	__u8 audit;      /* 1: a deny that only audits (forward, verdict AUDIT) */
	__u8 prefixlen;  /* copy of the key's prefixlen, reported as the match type */
	__u8 pad;
	__u32 policy_ref;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sluice_policy_key);
	__type(value, struct sluice_policy_value);
} sluice_policy SEC(".maps");

/* ---- sluice_ct: connection tracking (LRU hash, capacity set at load) -------------------------- */

/* One entry per (endpoint, flow): a flow between two local endpoints is tracked once at each of
 * them. Addresses and ports are oriented to the endpoint (local = the endpoint's side), and
 * `direction` is the direction the flow was initiated in, so a reply finds the same key with the
 * direction flipped. Ports are as on the wire; for ICMP echo local_port is the echo identifier
 * (remote_port 0), for other ICMP messages remote_port is the type (local_port 0). */
struct sluice_ct_key {
	__u8 local_addr[16];
	__u8 remote_addr[16];
	__be16 local_port_be;
	__be16 remote_port_be;
	__u16 endpoint_id;
	__u8 protocol;
	__u8 direction; /* enum sluice_direction of the initiating packet */
	__u8 family;
	__u8 pad[3];
};

enum sluice_ct_state {
	SLUICE_CT_NEW = 0,         /* only the initiating direction seen */
	SLUICE_CT_ESTABLISHED = 1, /* a reply has been seen */
	SLUICE_CT_CLOSING = 2,     /* FIN or RST seen: expires after tcp_close_ns */
};

/* created_ns is CLOCK_BOOTTIME (it becomes the record's flow_start_ns); the other times are
 * CLOCK_MONOTONIC_COARSE, which the per-packet path can read cheaply: a garbage collector in user
 * space compares them with clock_gettime(CLOCK_MONOTONIC_COARSE). */
struct sluice_ct_value {
	__u64 created_ns;
	__u64 last_seen_ns;
	__u64 last_report_ns;
	__u64 packets_fwd;
	__u64 bytes_fwd;
	__u64 packets_rev;
	__u64 bytes_rev;
	__u64 drop_window_ns;     /* start of the current one-second drop-event window */
	__u32 remote_identity;
	__u32 policy_revision;    /* endpoint revision the verdict was taken under */
	__u32 policy_ref;
	__u32 suppressed_drops;   /* drop events not emitted since the last one */
	__u32 drops_in_window;
	__u8 state;               /* enum sluice_ct_state */
	__u8 verdict;             /* enum sluice_verdict taken for the initiating direction */
	__u8 drop_reason;
	__u8 match_type;
	__u8 tcp_flags_fwd;       /* union of TCP flags seen in the initiating direction */
	__u8 tcp_flags_rev;
	__u8 pad[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct sluice_ct_key);
	__type(value, struct sluice_ct_value);
} sluice_ct SEC(".maps");

/* ---- sluice_frags: first fragment's transport header, for the later fragments ---------------- */

/* A datagram is identified by its addresses, protocol and IP identification (RFC 791, RFC 8200 4.5). */
struct sluice_frag_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 id;
	__u8 protocol;
	__u8 family;
	__u8 pad[2];
};

struct sluice_frag_value {
	__be16 sport_be;
	__be16 dport_be;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 icmp_kind;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct sluice_frag_key);
	__type(value, struct sluice_frag_value);
} sluice_frags SEC(".maps");

/* ---- sluice_counters: per-CPU packets/bytes by (direction, verdict, reason) ------------------- */

/* Index = (direction_index * 3 + verdict_index) * SLUICE_REASON_SLOTS + reason, where
 * direction_index is 0 ingress / 1 egress and verdict_index 0 forwarded / 1 dropped / 2 audit. An
 * array (not a hash) keeps the per-packet update to one inlined lookup. */
struct sluice_counter {
	__u64 packets;
	__u64 bytes;
};

#define SLUICE_COUNTER_SLOTS (2 * 3 * SLUICE_REASON_SLOTS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_COUNTER_SLOTS);
	__type(key, __u32);
	__type(value, struct sluice_counter);
} sluice_counters SEC(".maps");

/* ---- sluice_events / sluice_lost: flow records and their loss --------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* bytes; the loader may resize (power of two, page multiple) */
} sluice_events SEC(".maps");

/* Per-CPU count of records that could not be reserved because the ring was full. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sluice_lost SEC(".maps");

/* ---- sluice_debug: per-CPU diagnostic counters (instead of bpf_printk) ------------------------ */

enum sluice_debug_counter {
	SLUICE_DBG_NO_ENDPOINT = 0,   /* packet on an interface without an endpoint entry: passed */
	SLUICE_DBG_PASS_L2 = 1,       /* ARP passed without policy */
	SLUICE_DBG_PASS_ND = 2,       /* ICMPv6 neighbour discovery passed without policy */
	SLUICE_DBG_RELATED = 3,       /* ICMP error related to a tracked flow */
	SLUICE_DBG_CT_CREATE_FAIL = 4,/* conntrack insert failed */
	SLUICE_DBG_RECHECK = 5,       /* established flow re-checked after a revision change */
	SLUICE_DBG_CT_EXPIRED = 6,    /* entry found but expired: flow treated as new */
	SLUICE_DBG_PULL_FAIL = 7,     /* bpf_skb_pull_data failed */
	SLUICE_DBG_FRAG_TRACKED = 8,  /* first fragment's ports recorded */
	SLUICE_DBG_FRAG_MATCHED = 9,  /* later fragment given its first fragment's ports */
	SLUICE_DBG_MAX = 10,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLUICE_DBG_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sluice_debug SEC(".maps");

#endif
