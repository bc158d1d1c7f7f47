/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Policy decision for the initiating packet of a flow.
 *
 * Lookup order, most to least specific. The LPM trie returns the longest matching entry, so one
 * lookup walks a whole column of this list:
 *   1. remote identity, protocol, destination port (port-prefix entries: a port or a range)
 *   2. remote identity, protocol, any port
 *   3. remote identity, any protocol, any port
 *   -- then the same lookup with remote identity 0 ("any identity") --
 *   4. any identity, protocol, destination port
 *   5. any identity, protocol, any port
 *   6. any identity, any protocol, any port
 * Verdict: a deny found by either lookup wins over an allow found by the other; otherwise an allow
 * from either lookup forwards (the identity-specific match is reported when both allow); no match
 * drops with POLICY_DENIED when the direction is in default-deny and forwards otherwise.
 *
 * Split of responsibility: within one identity column only the longest match is visible, so the
 * datapath cannot see a shorter deny hidden behind a longer allow. The user-space policy engine
 * guarantees that never happens: when it writes an entry covered by a deny of the same identity
 * column, it writes that entry as a deny too. Across the two columns the datapath enforces deny
 * precedence itself, which is why it always does both lookups.
 *
 * Non-first fragments arrive here with their first fragment's ports (fragments.h). Protocols
 * without ports look up with prefixlen 80 (steps 2-3, 5-6). */
#ifndef SLUICE_POLICY_H
#define SLUICE_POLICY_H

#include "flow.h"
#include "maps.h"
#include "parse.h"

struct sluice_decision {
	__u8 verdict;     /* enum sluice_verdict */
	__u8 reason;      /* drop reason, or the would-be reason for AUDIT */
	__u8 match_type;  /* enum sluice_match_type */
	__u8 pad;
	__u32 policy_ref;
};

static __always_inline __u8 match_type_of(__u8 prefixlen, int identity_specific)
{
	if (prefixlen <= SLUICE_POLICY_PREFIX_IDENTITY)
		return identity_specific ? SLUICE_MATCH_L3_ONLY : SLUICE_MATCH_ALL;
	if (prefixlen <= SLUICE_POLICY_PREFIX_PROTO)
		return identity_specific ? SLUICE_MATCH_L3_PROTO : SLUICE_MATCH_PROTO_ONLY;
	return identity_specific ? SLUICE_MATCH_L3_L4 : SLUICE_MATCH_L4_ONLY;
}

static __always_inline void policy_decide(const struct sluice_endpoint *ep, __u8 direction,
					  __u32 remote_identity, const struct sluice_packet *pkt,
					  struct sluice_decision *out)
{
	struct sluice_policy_key key = {
		.prefixlen = pkt->has_port ? SLUICE_POLICY_PREFIX_FULL : SLUICE_POLICY_PREFIX_PROTO,
		.endpoint_id = ep->endpoint_id,
		.slot = ep->active_slot,
		.direction = direction,
		.remote_identity = remote_identity,
		.protocol = pkt->protocol,
		.dport_be = pkt->dport_be,
	};
	struct sluice_policy_value *v, specific = {}, any = {}, chosen;
	int has_specific = 0, has_any = 0, chosen_specific;

	/* Values are copied to the stack: choosing between two map-value pointers lets the compiler
	 * merge them with arithmetic the verifier rejects on pointers. */
	v = bpf_map_lookup_elem(&sluice_policy, &key);
	if (v) {
		specific = *v;
		has_specific = 1;
	}
	key.remote_identity = 0;
	v = bpf_map_lookup_elem(&sluice_policy, &key);
	if (v) {
		any = *v;
		has_any = 1;
	}

	if (has_specific && specific.deny) {
		chosen = specific;
		chosen_specific = 1;
	} else if (has_any && any.deny) {
		chosen = any;
		chosen_specific = 0;
	} else if (has_specific) {
		chosen = specific;
		chosen_specific = 1;
	} else if (has_any) {
		chosen = any;
		chosen_specific = 0;
	} else {
		__u8 flag = direction == SLUICE_DIR_INGRESS ? SLUICE_ENFORCE_INGRESS : SLUICE_ENFORCE_EGRESS;

		out->match_type = SLUICE_MATCH_NONE;
		out->policy_ref = 0;
		if (ep->enforce_flags & flag) {
			out->reason = SLUICE_DROP_POLICY_DENIED;
			out->verdict = ep->policy_mode == SLUICE_MODE_AUDIT ? SLUICE_VERDICT_AUDIT
									     : SLUICE_VERDICT_DROPPED;
		} else {
			out->reason = SLUICE_REASON_NONE;
			out->verdict = SLUICE_VERDICT_FORWARDED;
		}
		return;
	}

	out->match_type = match_type_of(chosen.prefixlen, chosen_specific);
	out->policy_ref = chosen.policy_ref;
	if (chosen.deny) {
		out->reason = SLUICE_DROP_POLICY_DENY;
		out->verdict = chosen.audit || ep->policy_mode == SLUICE_MODE_AUDIT
				       ? SLUICE_VERDICT_AUDIT
				       : SLUICE_VERDICT_DROPPED;
	} else {
		out->reason = SLUICE_REASON_NONE;
		out->verdict = SLUICE_VERDICT_FORWARDED;
	}
}

#endif
