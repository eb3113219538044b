#ifndef PROVSYNC_CMALLOC_SHIM_H
#define PROVSYNC_CMALLOC_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// glibc's allocator set for a short-lived process that builds and drops large trees (10,000 manifests' YAML
/// nodes, lists of several MiB): freed memory is kept for reuse instead of being handed back to the system and
/// faulted in again as zeroed pages, and blocks up to 32 MiB come from the heap rather than fresh mappings.
/// Does nothing where the C library is not glibc.
static inline void provsync_keep_freed_memory(void) {
#if defined(M_TOP_PAD) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
    mallopt(M_TOP_PAD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

#endif
