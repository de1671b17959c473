#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable column of plain values in one manually managed allocation: per-account state, HyperLogLog
/// registers and sketch counters.
///
/// The engine reads and writes two accounts' state per row. Through `[AccountState]` each access paid a
/// uniqueness check, a bounds check and a 144-byte copy out and back (a `memcpy` call each way); here a
/// row gets a pointer to the element and updates only the fields it changes. Indices are checked in
/// debug builds. `~Copyable`: the column owns its memory, freed in `deinit`, and can never be shared.
///
/// Memory: below ``hugeThreshold`` bytes, a `malloc` block grown with `realloc` (elements are
/// `BitwiseCopyable`, so moving their bytes is moving them). From there on, on Linux, a block aligned to
/// 2 MiB that the kernel is asked to back with transparent huge pages (`madvise(MADV_HUGEPAGE)`, honoured
/// in THP's default `madvise` mode): rows touch account state at random over tens of MiB, and with 4 KiB
/// pages most of those touches also missed the TLB. The feature engine ran ≈ 10 % faster on huge-page
/// columns. Growing such a block copies it; columns grow by doubling, so the copies add up to at most the
/// final size.
struct _Column<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    // @unchecked Sendable: the memory is reachable only through this non-copyable owner, so moving
    // the owner to another thread moves the memory with it.
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int
    /// Bytes held.
    private(set) var allocatedBytes = 0

    /// Blocks of at least this many bytes are huge-page blocks (Linux).
    static var hugeThreshold: Int { 4 << 20 }
    static var hugePage: Int { 2 << 20 }

    init(capacity: Int = 0) {
        precondition(MemoryLayout<Element>.alignment <= 16, "malloc aligns to 16 bytes")
        self.capacity = 0
        base = UnsafeMutableRawPointer(malloc(1)!).bindMemory(to: Element.self, capacity: 0)
        allocatedBytes = 1
        reserve(capacity)
    }

    deinit { free(base) }

    /// Grows the allocation to hold `newCapacity` elements (never shrinks), keeping the elements.
    mutating func reserve(_ newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let bytes = newCapacity * MemoryLayout<Element>.stride
        #if os(Linux)
        if bytes >= Self.hugeThreshold {
            // Aligned, not rounded up: the last partial 2 MiB of the block keeps small pages, and no
            // memory is held beyond what the column asked for.
            var block: UnsafeMutableRawPointer?
            guard posix_memalign(&block, Self.hugePage, bytes) == 0, let block else { fatalError("out of memory (\(bytes) bytes)") }
            _ = madvise(block, bytes, MADV_HUGEPAGE) // a hint: refused, the block keeps small pages
            block.copyMemory(from: base, byteCount: count * MemoryLayout<Element>.stride)
            free(base)
            base = block.bindMemory(to: Element.self, capacity: newCapacity)
            allocatedBytes = bytes
            capacity = newCapacity
            return
        }
        #endif
        guard let raw = realloc(base, bytes) else { fatalError("out of memory (\(bytes) bytes)") }
        base = raw.bindMemory(to: Element.self, capacity: newCapacity)
        allocatedBytes = bytes
        capacity = newCapacity
    }

    /// Appends `value`, doubling the allocation when full.
    mutating func append(_ value: Element) {
        if count == capacity { reserve(Swift.max(16, 2 * capacity)) }
        (base + count).initialize(to: value)
        count += 1
    }

    /// Appends `value` `n` times.
    mutating func append(repeating value: Element, count n: Int) {
        reserve(count + n)
        (base + count).initialize(repeating: value, count: n)
        count += n
    }

    /// The element at `index` (< count), for in-place reads and updates within one row.
    @inline(__always)
    func pointer(_ index: Int) -> UnsafeMutablePointer<Element> {
        assert(index >= 0 && index < count, "column index out of range")
        return base + index
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { pointer(index).pointee }
        nonmutating set { pointer(index).pointee = newValue }
    }
}
