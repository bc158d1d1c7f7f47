/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Remote address -> security identity through the sluice_ipcache LPM trie. */
#ifndef SLUICE_IPCACHE_H
#define SLUICE_IPCACHE_H

#include "maps.h"
#include "parse.h"

/* Longest-prefix match of addr; a miss is WORLD (reserved identity 2), as in Cilium. */
static __always_inline __u32 ipcache_identity(__u8 family, const __u8 *addr)
{
	struct sluice_ipcache_key key = {
		.prefixlen = SLUICE_IPCACHE_PREFIX_BASE + (family == 4 ? 32 : 128),
		.family = family,
	};
	struct sluice_ipcache_value *v;

	copy16(key.addr, addr);
	v = bpf_map_lookup_elem(&sluice_ipcache, &key);
	return v ? v->identity : SLUICE_IDENTITY_WORLD;
}

#endif
