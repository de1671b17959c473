import CProcessor

/// Elements in one allocation that starts on a cache line (on a 2 MiB page when large), for tables whose
/// entries are read at random: an entry of 64 bytes or less then never straddles two lines, where in an
/// `Array` (its elements start 32 bytes into a heap object) a 64-byte entry always does — two misses per
/// lookup instead of one.
///
/// A reference type with a fixed capacity: owners keep value semantics by copying it before a write when
/// it is shared (``_SlotTable`` and ``_RecencyCache`` do), and grow it by copying into a larger one.
/// `@unchecked Sendable`: elements are written only through a uniquely referenced instance, so a shared one
/// is only ever read.
final class _LineAlignedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        var bytes = self.capacity * MemoryLayout<Element>.stride
        let huge = bytes >= _HugePages.threshold
        if huge { bytes = (bytes + _HugePages.pageSize - 1) & ~(_HugePages.pageSize - 1) }
        let alignment = huge ? _HugePages.pageSize : max(64, MemoryLayout<Element>.alignment)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        _HugePages.advise(UnsafeMutableRawBufferPointer(start: raw, count: bytes))
        base = raw.bindMemory(to: Element.self, capacity: self.capacity)
    }

    /// A buffer holding `count` copies of `value`, with room for no more (for one when `count` is 0).
    convenience init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Replaces `buffer` with a copy of it when another owner shares it, before the caller writes to it;
    /// returns whether it did. `assumingUnique`: a write on the promise of an earlier call in the same batch
    /// (see the detectors' `assumingUnique` writes), checked in debug builds and free in release ones.
    @inline(__always)
    @discardableResult
    static func makeUnique(_ buffer: inout _LineAlignedBuffer, assumingUnique: Bool = false) -> Bool {
        if assumingUnique {
            assert(isKnownUniquelyReferenced(&buffer), "a buffer assumed unique is shared")
            return false
        }
        guard !isKnownUniquelyReferenced(&buffer) else { return false }
        buffer = buffer.copy(capacity: buffer.capacity)
        return true
    }

    /// Writes `element`, which fills line `index` exactly (a 64-byte element), with non-temporal stores
    /// (``cw_stream_line``): the cold line is not read first, and leaves the caches. Make the writes visible
    /// to other threads with ``cw_store_fence``.
    @inline(__always)
    func stream(_ element: Element, at index: Int) {
        precondition(MemoryLayout<Element>.stride == 64 && index >= 0 && index < count, "not a line of this buffer")
        withUnsafePointer(to: element) { cw_stream_line(base + index, $0) }
    }

    /// A buffer of `capacity` (≥ ``count``) holding copies of these elements.
    func copy(capacity: Int) -> _LineAlignedBuffer {
        precondition(capacity >= count)
        let copy = _LineAlignedBuffer(capacity: capacity)
        copy.base.initialize(from: base, count: count)
        copy.count = count
        return copy
    }

    /// Appends `count` copies of `element`; there must be room.
    func append(_ element: Element, count: Int) {
        precondition(count >= 0 && self.count + count <= capacity, "line-aligned buffer is full")
        (base + self.count).initialize(repeating: element, count: count)
        self.count += count
    }

    /// Appends `element`; there must be room.
    @inline(__always)
    func append(_ element: Element) {
        precondition(count < capacity, "line-aligned buffer is full")
        (base + count).initialize(to: element)
        count += 1
    }
}
