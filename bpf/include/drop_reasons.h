/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Drop reasons carried in counters and flow records.
 *
 * The numbers are Hubble's DropReason values (flow.proto, shared with Cilium's datapath) so that
 * the flow exporter can pass them through unchanged; 0 means "not dropped". Every reason fits in a
 * byte, which the counter index in counters.h relies on. */
#ifndef SLUICE_DROP_REASONS_H
#define SLUICE_DROP_REASONS_H

enum sluice_drop_reason {
	SLUICE_REASON_NONE = 0,
	/* No allow entry matched and the direction is in default-deny. */
	SLUICE_DROP_POLICY_DENIED = 133,
	/* Truncated or inconsistent Ethernet/IP header (bad version, IHL, total length). */
	SLUICE_DROP_INVALID_PACKET = 134,
	/* Transport header truncated or bogus (e.g. TCP data offset < 5). */
	SLUICE_DROP_CT_INVALID_HEADER = 135,
	/* Ethertype that is neither IPv4, IPv6 nor ARP. */
	SLUICE_DROP_UNSUPPORTED_L3 = 139,
	/* IPv6 extension-header chain truncated or longer than SLUICE_MAX_IPV6_EXT. */
	SLUICE_DROP_INVALID_IPV6_EXT = 156,
	/* Non-first fragment whose first fragment was not seen (or was evicted): its ports are unknown. */
	SLUICE_DROP_FRAG_NOT_FOUND = 175,
	/* An explicit deny entry matched. */
	SLUICE_DROP_POLICY_DENY = 181,
};

/* Largest reason value plus one: the stride of the counter index. */
#define SLUICE_REASON_SLOTS 256

#endif
