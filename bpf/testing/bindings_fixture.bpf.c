// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for the Sluice.Bpf binding tests and the ring-buffer drain benchmark.
 * Not part of the datapath: every map type and program shape the bindings must handle, kept tiny so a
 * failing binding test points at the binding, not at datapath logic.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* Layout mirrored by FixtureConfig in tests/Bpf.Tests/Bindings (checked against this BTF). */
struct fixture_config {
	__u32 verdict;  /* returned by fixture_echo */
	__u32 mark_add; /* added to skb->mark by fixture_echo */
	__u64 magic;    /* copied into cb[3..4] so a test can see the loaded value */
};

/* A key with two fields and a value wider than a word, to catch C/C# layout drift. */
struct fixture_key {
	__u32 a;
	__u32 b;
};

struct fixture_value {
	__u64 x;
	__u64 y;
};

struct fixture_lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

/* Header of every record fixture_emit writes; payload bytes all equal (__u8)seq. */
struct fixture_record {
	__u64 seq;
	__u32 size; /* total record size including this header */
	__u32 cpu;
};

#define FIXTURE_MAX_RECORD 256
#define FIXTURE_MAX_PER_RUN 4096

const volatile struct fixture_config config = {
	.verdict = TC_ACT_OK,
	.mark_add = 0,
	.magic = 0,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct fixture_key);
	__type(value, struct fixture_value);
} fixture_hash SEC(".maps");

/* 4-byte values on purpose: the kernel rounds each CPU's slot to 8 bytes in syscall lookups. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} fixture_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fixture_lpm_key);
	__type(value, __u32);
} fixture_lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} fixture_events SEC(".maps");

/* [0] next sequence number, [1] records the ring refused (full), [2] records discarded on purpose. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} fixture_state SEC(".maps");

/* Twice the largest record so the masked size below is provably inside the buffer. */
struct fixture_scratch {
	__u8 bytes[2 * FIXTURE_MAX_RECORD];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fixture_scratch);
} fixture_scratch_buf SEC(".maps");

static __always_inline void state_add(__u32 index, __u64 delta)
{
	__u64 *slot = bpf_map_lookup_elem(&fixture_state, &index);

	if (slot)
		__sync_fetch_and_add(slot, delta);
}

/*
 * Counts the run in fixture_percpu[0], reports what it saw in cb[] (ifindex, ingress_ifindex, the
 * LPM value for the IPv4 destination or 0, config.magic) and returns config.verdict.
 */
SEC("tc")
int fixture_echo(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u32 zero = 0;
	__u32 *runs;

	runs = bpf_map_lookup_elem(&fixture_percpu, &zero);
	if (runs)
		*runs += 1;

	skb->cb[0] = skb->ifindex;
	skb->cb[1] = skb->ingress_ifindex;
	skb->cb[2] = 0;
	skb->cb[3] = (__u32)config.magic;
	skb->cb[4] = (__u32)(config.magic >> 32);
	skb->mark += config.mark_add;

	if ((void *)(eth + 1) > data_end)
		return config.verdict;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		struct fixture_lpm_key key = { .prefixlen = 32 };
		__u32 *value;

		if ((void *)(ip + 1) > data_end)
			return config.verdict;
		__builtin_memcpy(key.addr, &ip->daddr, sizeof(key.addr));
		value = bpf_map_lookup_elem(&fixture_lpm, &key);
		if (value)
			skb->cb[2] = *value;
	}
	return config.verdict;
}

struct emit_context {
	struct fixture_scratch *scratch;
	__u64 *next_seq;
	__u32 size;
	__u32 discard_every;
};

/* A real subprogram (not inlined) so struct fixture_record appears in the object's BTF, where the
 * layout tests read it. */
static __noinline int write_header(struct fixture_record *header, __u64 seq, __u32 size)
{
	if (!header)
		return 0;
	header->seq = seq;
	header->size = size;
	header->cpu = bpf_get_smp_processor_id();
	return 0;
}

/* One record per call; run through bpf_loop so the verifier checks the body once, not per iteration. */
static long emit_one(__u32 index, void *data)
{
	struct emit_context *ctx = data;
	struct fixture_scratch *scratch = ctx->scratch;
	struct fixture_record *header;
	__u64 out_size;
	__u64 seq;
	__u32 j;

	if (!scratch || !ctx->next_seq)
		return 1;
	header = (void *)scratch->bytes;
	seq = __sync_fetch_and_add(ctx->next_seq, 1);
	if (ctx->discard_every && seq % ctx->discard_every == 0) {
		struct fixture_record *reserved;

		reserved = bpf_ringbuf_reserve(&fixture_events, sizeof(*reserved), 0);
		if (!reserved) {
			state_add(1, 1);
			return 0;
		}
		reserved->seq = seq;
		reserved->size = sizeof(*reserved);
		reserved->cpu = bpf_get_smp_processor_id();
		bpf_ringbuf_discard(reserved, 0);
		state_add(2, 1);
		return 0;
	}
	write_header(header, seq, ctx->size);
	/* Word stores (the buffer is a multiple of 8); the empty asm keeps clang from turning the loop
	 * into a memset call, which BPF cannot make. */
	for (j = sizeof(*header) / 8; j < FIXTURE_MAX_RECORD / 8; j++) {
		if (j * 8 >= ctx->size)
			break;
		((__u64 *)scratch->bytes)[j] = ((__u64)(__u8)seq) * 0x0101010101010101ULL;
		asm volatile("" ::: "memory");
	}
	/* The mask is a no-op on the clamped size; it gives the verifier a bound on the very register
	 * passed as the size (check_mem_size_reg). The empty asm hides the earlier clamp from clang so
	 * it cannot drop the mask. */
	out_size = ctx->size;
	asm volatile("" : "+r"(out_size));
	out_size &= 2 * FIXTURE_MAX_RECORD - 1;
	if (bpf_ringbuf_output(&fixture_events, scratch->bytes, out_size, 0))
		state_add(1, 1);
	return 0;
}

/*
 * Writes skb->mark records (at most FIXTURE_MAX_PER_RUN) of skb->priority bytes (clamped to
 * [sizeof(struct fixture_record), FIXTURE_MAX_RECORD]) into fixture_events, numbered from
 * fixture_state[0]. When cb[0] is non-zero, every record whose seq is a multiple of cb[0] is
 * reserved and then discarded instead, so readers must skip it (counted in fixture_state[2]).
 * Records the ring refuses are counted in fixture_state[1].
 */
SEC("tc")
int fixture_emit(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct emit_context ctx = {
		.size = skb->priority,
		.discard_every = skb->cb[0],
	};
	__u32 count = skb->mark;

	ctx.scratch = bpf_map_lookup_elem(&fixture_scratch_buf, &zero);
	ctx.next_seq = bpf_map_lookup_elem(&fixture_state, &zero);
	if (!ctx.scratch || !ctx.next_seq)
		return TC_ACT_SHOT;
	if (ctx.size < sizeof(struct fixture_record))
		ctx.size = sizeof(struct fixture_record);
	if (ctx.size > FIXTURE_MAX_RECORD)
		ctx.size = FIXTURE_MAX_RECORD;
	if (count > FIXTURE_MAX_PER_RUN)
		count = FIXTURE_MAX_PER_RUN;
	bpf_loop(count, emit_one, &ctx, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
