// SPDX-License-Identifier: GPL-2.0
/*
 * Compiles cleanly but must be rejected by the verifier: it reads packet data without the
 * data_end bounds check (kernel/bpf/verifier.c check_packet_access). The binding tests load it to
 * prove a load failure surfaces the verifier log in the exception.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int reject_unchecked_read(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data;

	return data[0];
}

char LICENSE[] SEC("license") = "GPL";
