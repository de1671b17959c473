#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for the typology detectors' large arrays.
///
/// Detector state is touched at random over tens of MiB (pools, list arenas, slot-table entries, the recency
/// caches); with 4 KiB pages most of those touches also miss the TLB. Storage of at least ``threshold``
/// bytes is rounded up to whole 2 MiB pages and advised onto them (`madvise(MADV_HUGEPAGE)`, honoured in
/// THP's default `madvise` mode) before any of it is written, so the kernel backs it with huge pages as it
/// is first touched. From 1 MiB on, so a slot table's buckets (1–2 MiB at the default caps) get one. The
/// advice is a hint: refused, or off Linux, the pages simply stay small. Nothing else changes: what the
/// memory holds is the same.
enum _HugePages {
    static var threshold: Int { 1 << 20 }
    static var pageSize: Int { 2 << 20 }

    /// Advises the whole 2 MiB pages inside `memory` (none when it is smaller than ``threshold``).
    static func advise(_ memory: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard memory.count >= threshold, let base = memory.baseAddress else { return }
        let start = (Int(bitPattern: base) + pageSize - 1) & ~(pageSize - 1)
        let end = (Int(bitPattern: base) + memory.count) & ~(pageSize - 1)
        guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(first, end - start, MADV_HUGEPAGE)
        #endif
    }
}
