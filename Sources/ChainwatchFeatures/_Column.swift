/// A growable column of plain values in one manually managed allocation: per-account state, HyperLogLog
/// registers and sketch counters.
///
/// The engine reads and writes two accounts' state per row. Through `[AccountState]` each access paid a
/// uniqueness check, a bounds check and a 144-byte copy out and back (a `memcpy` call each way); here a
/// row gets a pointer to the element and updates only the fields it changes. Indices are checked in
/// debug builds. `~Copyable`: the column owns its memory, freed in `deinit`, and can never be shared.
struct _Column<Element: BitwiseCopyable>: ~Copyable, @unchecked Sendable {
    // @unchecked Sendable: the memory is reachable only through this non-copyable owner, so moving
    // the owner to another thread moves the memory with it.
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = capacity
        base = .allocate(capacity: Swift.max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// Grows the allocation to hold `newCapacity` elements (never shrinks); O(count) when it moves.
    mutating func reserve(_ newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
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
