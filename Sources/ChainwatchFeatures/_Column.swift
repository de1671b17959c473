#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable column of plain values in one manually managed allocation: per-account state, HyperLogLog
/// registers and sketch counters.
///
/// The engine reads and writes two accounts' state per row. Through `[AccountState]` each access paid a
/// uniqueness check, a bounds check and a whole-state copy out and back (a `memcpy` call each way); here a
/// row gets a pointer to the element and updates only the fields it changes. Indices are checked in
/// debug builds. `~Copyable`: the column owns its memory, freed in `deinit`, and can never be shared.
///
/// Memory: below ``hugeThreshold`` bytes, a `malloc` block grown with `realloc` (elements are
/// `BitwiseCopyable`, so moving their bytes is moving them). From there on, on Linux, a block aligned to
/// 2 MiB that the kernel is asked to back with transparent huge pages (`madvise(MADV_HUGEPAGE)`, honoured
/// in THP's default `madvise` mode): rows touch account state at random over tens of MiB, and with 4 KiB
/// pages most of those touches also missed the TLB. The feature engine ran ≈ 10 % faster on huge-page
/// columns. Growing such a block copies it (columns grow by doubling, so the copies add up to at most the
/// final size) — unless the column was given a `limit`: then, on Linux, address space for `limit` elements
/// is reserved once (`mmap`, `MAP_NORESERVE`: only pages written become memory) and growing moves nothing.
struct _Column<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    // @unchecked Sendable: the memory is reachable only through this non-copyable owner, so moving
    // the owner to another thread moves the memory with it.
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int
    /// Bytes held (for a reserved column, its capacity: pages beyond it are never written).
    private(set) var allocatedBytes = 0
    /// The reserved address space to unmap, when the column has one.
    private var mapping: (start: UnsafeMutableRawPointer, length: Int)?
    private var limit = Int.max

    /// Blocks of at least this many bytes are huge-page blocks (Linux).
    static var hugeThreshold: Int { 4 << 20 }
    static var hugePage: Int { 2 << 20 }

    /// - Parameter limit: the most elements the column will ever hold, if known: a large column then
    ///   reserves its address space once (Linux) instead of moving when it grows.
    init(capacity: Int = 0, limit: Int? = nil) {
        precondition(MemoryLayout<Element>.alignment <= 16, "malloc aligns to 16 bytes")
        self.capacity = 0
        #if os(Linux)
        // Without the reservation (no room for the mapping, or strict overcommit refusing it) the column
        // simply grows by moving, as below.
        if let limit, limit * MemoryLayout<Element>.stride >= Self.hugeThreshold,
            case let length = limit * MemoryLayout<Element>.stride + Self.hugePage, // room to align to a huge page
            let start = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            start != UnsafeMutableRawPointer(bitPattern: -1) {
            let bytes = limit * MemoryLayout<Element>.stride
            let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: start) + Self.hugePage - 1) & ~(Self.hugePage - 1))!
            _ = madvise(aligned, bytes, MADV_HUGEPAGE) // a hint: refused, the pages stay small
            base = aligned.bindMemory(to: Element.self, capacity: limit)
            mapping = (start, length)
            self.limit = limit
            reserve(capacity)
            return
        }
        #endif
        base = UnsafeMutableRawPointer(malloc(1)!).bindMemory(to: Element.self, capacity: 0)
        allocatedBytes = 1
        reserve(capacity)
    }

    deinit {
        if let mapping { munmap(mapping.start, mapping.length) } else { free(base) }
    }

    /// Grows the allocation to hold `newCapacity` elements (never shrinks), keeping the elements.
    mutating func reserve(_ newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let bytes = newCapacity * MemoryLayout<Element>.stride
        if mapping != nil {
            precondition(newCapacity <= limit, "column limit exceeded")
            allocatedBytes = bytes
            capacity = newCapacity
            return
        }
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

    /// Whether the column grows inside address space reserved up front (Linux, with a `limit`).
    var isReserved: Bool { mapping != nil }

    /// The capacity a full column grows to, at most `cap`. A reserved column grows by a thirty-second, since
    /// growing it moves nothing: little capacity sits unused on its books (memory is reported from the
    /// capacity). A moving column doubles, so its copies add up to at most its final size.
    func grownCapacity(cap: Int, minimum: Int = 1_024) -> Int {
        let step = isReserved ? Swift.max(minimum, capacity / 32) : Swift.max(minimum, capacity)
        return Swift.min(cap, capacity + step)
    }

    /// Appends `value`, doubling the allocation when full (a column with a limit grows at most to it).
    mutating func append(_ value: Element) {
        if count == capacity { reserve(Swift.min(Swift.max(16, 2 * capacity), Swift.max(limit, count + 1))) }
        (base + count).initialize(to: value)
        count += 1
    }

    /// Appends `value` `n` times.
    mutating func append(repeating value: Element, count n: Int) {
        reserve(count + n)
        (base + count).initialize(repeating: value, count: n)
        count += n
    }

    /// Appends `n` elements whose bytes are all zero. A reserved column writes nothing: its pages beyond
    /// `count` have never been written, so they are still the kernel's zero pages, and they become memory
    /// only when a row first uses them.
    mutating func appendZeroed(count n: Int) {
        reserve(count + n)
        if mapping == nil { UnsafeMutableRawPointer(base + count).initializeMemory(as: UInt8.self, repeating: 0, count: n * MemoryLayout<Element>.stride) }
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
