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
/// The memory comes from `malloc` and grows with `realloc`: elements are `BitwiseCopyable`, so moving
/// their bytes is moving them, and glibc grows a large block by remapping its pages instead of copying
/// (a doubling of the 100k-account state columns was a visible `memmove`).
struct _Column<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    // @unchecked Sendable: the memory is reachable only through this non-copyable owner, so moving
    // the owner to another thread moves the memory with it.
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = capacity
        base = Self.resize(nil, to: capacity)
    }

    deinit { free(base) }

    /// Grows the allocation to hold `newCapacity` elements (never shrinks), keeping the elements.
    mutating func reserve(_ newCapacity: Int) {
        guard newCapacity > capacity else { return }
        base = Self.resize(base, to: newCapacity)
        capacity = newCapacity
    }

    /// `realloc` to room for `capacity` elements (at least one byte); traps when memory is exhausted.
    private static func resize(_ pointer: UnsafeMutablePointer<Element>?, to capacity: Int) -> UnsafeMutablePointer<Element> {
        precondition(MemoryLayout<Element>.alignment <= 16, "malloc aligns to 16 bytes")
        let bytes = Swift.max(capacity * MemoryLayout<Element>.stride, 1)
        guard let raw = realloc(pointer, bytes) else { fatalError("out of memory (\(bytes) bytes)") }
        return raw.bindMemory(to: Element.self, capacity: capacity)
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
