import CMalloc

/// The allocator's settings for this process (`provsync_keep_freed_memory` in the CMalloc shim). Measured on a
/// pull-request plan of 10,000 manifests: about 7% less CPU and a third less system time, for a peak some
/// 15 MiB higher (BENCHMARKS.md).
enum AllocatorSettings {
    static func apply() {
        provsync_keep_freed_memory()
    }
}
