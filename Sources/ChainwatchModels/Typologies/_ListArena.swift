import CProcessor

/// Many short lists of small elements (one per tracked key) in one buffer, so keeping a list costs no heap
/// object of its own and dropping a key frees nothing but an index.
///
/// Each list is a ring buffer in a block of power-of-two capacity; a full list moves to a block twice as
/// big. Released blocks go to a free list per capacity and are reused first, so the storage stays at the
/// high-water mark of what the lists needed. The storage starts on a cache line, so elements of 64 bytes
/// never straddle two lines.
///
/// A *stamped* arena also keeps one `Int64` per element (a time) in a column of its own, eight to a line:
/// a window that expires its oldest elements by time reads the stamps alone, an eighth of the lines the
/// elements would take (the fan windows do).
struct _ListArena<Element: Sendable>: Sendable {
    /// Where one list lives. A default `List()` is empty and owns no block.
    struct List: Sendable {
        fileprivate var offset: UInt32 = 0
        /// log2 of the block capacity; `noBlock` until the first append.
        fileprivate var sizeClass: UInt8 = List.noBlock
        fileprivate var start: UInt32 = 0
        private(set) var count: UInt32 = 0

        fileprivate static var noBlock: UInt8 { .max }

        init() {}

        var isEmpty: Bool { count == 0 }

        /// Block capacity − 1 (0 without a block). Always inlined: every element access computes it, and an
        /// out-of-line getter (the optimiser merges the per-element-type copies into one call) costs a call.
        @inline(__always)
        fileprivate var mask: UInt32 { sizeClass == Self.noBlock ? 0 : (1 &<< UInt32(sizeClass)) &- 1 }
        fileprivate mutating func setCount(_ value: UInt32) { count = value }
    }

    private var storage = _LineAlignedBuffer<Element>(capacity: 16)
    /// The stamps, by storage position (empty unless `stamped`). Replaced whenever `storage` is, so it is
    /// shared exactly when `storage` is, and one uniqueness check covers both.
    private var stamps: _LineAlignedBuffer<Int64>
    private let stamped: Bool
    /// Appends write whole-line elements around the caches (see ``write(_:at:)``).
    private let streamed: Bool
    /// log2 of a list's first block: 1 in a streamed arena, where growing a block of one would read its
    /// element back from memory (a move per second append, most of the lists); else 0.
    private let firstSizeClass: UInt8
    private var freeBlocks: [[UInt32]] = []
    private let filler: Element

    /// `filler` fills blocks before use; it is never read back. A `stamped` arena keeps a stamp per element
    /// (append with ``append(_:stamp:to:)``). A `streamed` arena of 64-byte elements writes appended ones
    /// with non-temporal stores, and its lists start with room for two: for elements read rarely after (an
    /// alert's evidence, a move to a larger block), as such a read then goes to memory.
    init(filler: Element, stamped: Bool = false, streamed: Bool = false) {
        self.filler = filler
        self.stamped = stamped
        self.streamed = streamed && MemoryLayout<Element>.stride == 64
        firstSizeClass = self.streamed ? 1 : 0
        stamps = _LineAlignedBuffer(capacity: stamped ? 16 : 1)
    }

    /// Elements the storage holds (in lists or free blocks).
    var storageCount: Int { storage.count }

    /// Copies the storage (and stamps) before a write when another arena shares it (value semantics), or,
    /// `assumingUnique`, checks in debug builds that ``ensureUnique()`` made it unique.
    @inline(__always)
    private mutating func makeStorageUnique(assumingUnique: Bool = false) {
        if _LineAlignedBuffer.makeUnique(&storage, assumingUnique: assumingUnique), stamped {
            stamps = stamps.copy(capacity: stamps.capacity)
        }
    }

    /// Makes the storage unique ahead of a batch of appends that assume it (`assumingUnique: true`; see
    /// ``_SlotTable/ensureUnique()``).
    mutating func ensureUnique() { makeStorageUnique() }

    /// Moves the elements and stamps into new buffers of `capacity`.
    private mutating func replaceStorage(capacity: Int) {
        storage = storage.copy(capacity: capacity)
        if stamped { stamps = stamps.copy(capacity: capacity) }
    }


    /// Makes the elements appended so far visible to other threads (see ``cw_store_fence``); a no-op unless
    /// `streamed`. Call it when a run of appends ends (the detectors do at the end of each batch).
    @inline(__always)
    func fenceStores() {
        if streamed { cw_store_fence() }
    }

    /// Copies the element at storage position `from`, with its stamp, to position `to`.
    @inline(__always)
    private func copyElement(from: Int, to: Int) {
        storage.base[to] = storage.base[from]
        if stamped { stamps.base[to] = stamps.base[from] }
    }

    /// Storage position of element `index` of `list`.
    @inline(__always)
    private func position(_ index: UInt32, in list: List) -> Int {
        Int(list.offset) + Int((list.start &+ index) & list.mask)
    }

    /// Element `index` (0 = oldest) of `list`.
    @inline(__always)
    func element(_ index: Int, of list: List) -> Element {
        // Checked against the list's count (in a register) instead of the storage's: a position within a
        // list's block lies inside `storage`.
        precondition(index >= 0 && index < Int(list.count), "list index out of range")
        return storage.base[position(UInt32(index), in: list)]
    }

    /// The stamp of element `index` (0 = oldest) of `list`, in a stamped arena.
    @inline(__always)
    func stamp(_ index: Int, of list: List) -> Int64 {
        precondition(stamped && index >= 0 && index < Int(list.count), "list index out of range, or no stamps")
        return stamps.base[position(UInt32(index), in: list)]
    }

    /// Replaces element `index` of `list`.
    @inline(__always)
    mutating func set(_ index: Int, of list: List, to element: Element, assumingUnique: Bool = false) {
        precondition(index >= 0 && index < Int(list.count), "list index out of range")
        makeStorageUnique(assumingUnique: assumingUnique)
        storage.base[position(UInt32(index), in: list)] = element
    }

    /// Appends `element` to `list` (in an arena that is not stamped).
    @inline(__always)
    mutating func append(_ element: Element, to list: inout List, assumingUnique: Bool = false) {
        precondition(!stamped, "a stamped arena appends with a stamp")
        place(element, in: &list, assumingUnique: assumingUnique)
    }

    /// Appends `element` with its `stamp` to `list` (in a stamped arena).
    @inline(__always)
    mutating func append(_ element: Element, stamp: Int64, to list: inout List, assumingUnique: Bool = false) {
        precondition(stamped, "only a stamped arena keeps stamps")
        // Placed first: placing can move the stamps to a larger buffer, so `stamps.base` is read after it.
        let position = place(element, in: &list, assumingUnique: assumingUnique)
        stamps.base[position] = stamp
    }

    /// Writes `element` after the last of `list` and returns its storage position. In a `streamed` arena it
    /// goes out with non-temporal stores, which do not first read the cold line it lands on.
    @inline(__always)
    @discardableResult
    private mutating func place(_ element: Element, in list: inout List, assumingUnique: Bool) -> Int {
        // Room first, in a statement of its own: as an argument of `position(_:in:)` the call ran while a
        // copy of the arena (taken for that method) was alive, so the storage was shared during it.
        let index = makeRoom(in: &list, assumingUnique: assumingUnique)
        let position = position(index, in: list)
        if streamed { storage.stream(element, at: position) } else { storage.base[position] = element }
        list.setCount(list.count + 1)
        return position
    }

    /// Makes the storage writable and `list` able to take one more element; returns that element's index.
    @inline(__always)
    private mutating func makeRoom(in list: inout List, assumingUnique: Bool) -> UInt32 {
        if list.sizeClass == List.noBlock || list.count > list.mask {
            let sizeClass = list.sizeClass == List.noBlock ? firstSizeClass : list.sizeClass + 1
            move(&list, toClass: sizeClass, assumingUnique: assumingUnique)
        } else {
            makeStorageUnique(assumingUnique: assumingUnique)
        }
        return list.count
    }

    /// Drops the `k` oldest elements.
    @inline(__always)
    func removeFirst(_ k: Int, from list: inout List) {
        precondition(k >= 0 && k <= Int(list.count))
        list.start = (list.start &+ UInt32(k)) & list.mask
        list.setCount(list.count - UInt32(k))
        if list.count == 0 { list.start = 0 }
    }

    /// Removes element `index`, shifting the newer ones down by one (order kept).
    mutating func remove(at index: Int, from list: inout List) {
        precondition(index >= 0 && index < Int(list.count))
        makeStorageUnique()
        var i = UInt32(index)
        while i + 1 < list.count {
            copyElement(from: position(i + 1, in: list), to: position(i, in: list))
            i += 1
        }
        list.setCount(list.count - 1)
        if list.count == 0 { list.start = 0 }
    }

    /// Empties `list`, keeping its block.
    func removeAll(from list: inout List) {
        list.start = 0
        list.setCount(0)
    }

    /// Frees the block of `list` and empties it.
    mutating func release(_ list: inout List) {
        if list.sizeClass != List.noBlock { freeBlocks[Int(list.sizeClass)].append(list.offset) }
        list = List()
    }

    private mutating func move(_ list: inout List, toClass sizeClass: UInt8, assumingUnique: Bool) {
        makeStorageUnique(assumingUnique: assumingUnique)
        let capacity = 1 << Int(sizeClass)
        while freeBlocks.count <= Int(sizeClass) { freeBlocks.append([]) }
        let offset: UInt32
        if !freeBlocks[Int(sizeClass)].isEmpty {
            // `removeLast` inlines; the generic `popLast` stays a call on this hot path.
            offset = freeBlocks[Int(sizeClass)].removeLast()
        } else {
            precondition(storage.count + capacity <= Int(UInt32.max), "list arena is full")
            offset = UInt32(storage.count)
            if storage.count + capacity > storage.capacity {
                replaceStorage(capacity: max(storage.count + capacity, 2 * storage.capacity))
            }
            storage.append(filler, count: capacity)
            if stamped { stamps.append(0, count: capacity) }
        }
        for index in 0 ..< list.count { copyElement(from: position(index, in: list), to: Int(offset) + Int(index)) }
        if list.sizeClass != List.noBlock { freeBlocks[Int(list.sizeClass)].append(list.offset) }
        list.offset = offset
        list.sizeClass = sizeClass
        list.start = 0
    }
}

extension _ListArena {
    /// Appends `element` to `list`, keeping its latest `limit` (≥ 1) elements: each one dropped is first
    /// passed to `dropping`. Room is made before the append, so a full list does not move to a block twice
    /// its size for one element more.
    @inline(__always)
    mutating func append(_ element: Element, to list: inout List, keeping limit: Int, dropping: (Element) -> Void) {
        precondition(limit > 0, "a list keeps at least one element")
        for index in 0 ..< max(0, Int(list.count) + 1 - limit) { dropping(self.element(index, of: list)) }
        append(element, to: &list, keeping: limit)
    }

    /// ``append(_:to:keeping:dropping:)`` without reading the elements it drops.
    @inline(__always)
    mutating func append(_ element: Element, to list: inout List, keeping limit: Int, assumingUnique: Bool = false) {
        precondition(limit > 0, "a list keeps at least one element")
        if Int(list.count) >= limit { removeFirst(Int(list.count) + 1 - limit, from: &list) }
        append(element, to: &list, assumingUnique: assumingUnique)
    }
}
