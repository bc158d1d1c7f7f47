// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Sluice's tc programs for an endpoint's host-side interface (see include/datapath.h).
 *
 * The host-side veth sees the endpoint's traffic mirrored: what the endpoint sends arrives at the
 * host end's tc ingress, what is sent to the endpoint leaves through the host end's tc egress. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "config.h"
#include "datapath.h"

/* tc ingress of the host-side interface: packets from the endpoint (endpoint EGRESS). */
SEC("tc")
int sluice_from_endpoint(struct __sk_buff *skb)
{
	return handle_packet(skb, SLUICE_DIR_EGRESS);
}

/* tc egress of the host-side interface: packets to the endpoint (endpoint INGRESS). */
SEC("tc")
int sluice_to_endpoint(struct __sk_buff *skb)
{
	return handle_packet(skb, SLUICE_DIR_INGRESS);
}

/* struct sluice_flow only ever travels through a ring-buffer pointer inside inlined code, which leaves
 * no trace in the object's BTF. This never-called function puts it there so user space can prove its
 * mirror's layout from BTF. libbpf loads .text functions only when a program calls them. */
__attribute__((used, noinline)) int sluice_flow_btf_anchor(struct sluice_flow *flow)
{
	return flow != 0;
}

/* GPL-compatible: the ring buffer and skb helpers used here are GPL-only. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
