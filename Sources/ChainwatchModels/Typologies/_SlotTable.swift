import ChainwatchCore

/// A key the typology state tables index: equatable, with a well-mixed 64-bit hash.
protocol _SlotKey: Equatable, Sendable {
    var slotHash: UInt64 { get }
}

extension AccountKey: _SlotKey {
    @inline(__always)
    var slotHash: UInt64 { mixedHash }
}

/// A hash table from keys to per-key state, kept in one array of (key, value) entries addressed by a dense
/// slot number: a lookup reads one bucket word and, on a tag match, the entry that holds both the key to
/// confirm and the state to update (no per-entry heap object, no `Dictionary` value copies).
///
/// Open addressing with linear probing over 64-bit buckets (`tag << 32 | slot + 1`, 0 = empty), at most
/// half full; deletion shifts the following run back, so there are no tombstones. Freed slots are reused
/// (last freed first), so the entry array stays at the high-water mark of live keys.
struct _SlotTable<Key: _SlotKey, Value: Sendable>: Sendable {
    struct Entry: Sendable {
        var key: Key
        var value: Value
    }

    /// Every slot's entry (meaningful where `isLive`).
    private(set) var entries: [Entry] = []
    private(set) var isLive: [Bool] = []
    private(set) var count = 0
    private var buckets: [UInt64]
    private var mask: Int
    private var freeSlots: [UInt32] = []

    init() {
        buckets = [UInt64](repeating: 0, count: 64)
        mask = 63
    }

    /// Slots ever handed out (live or free); valid slots are `0 ..< slotCount`.
    var slotCount: Int { entries.count }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { (hash >> 32) | 1 }

    /// The state of live slot `slot`.
    @inline(__always)
    subscript(slot: Int) -> Value {
        get { entries[slot].value }
        _modify { yield &entries[slot].value }
    }

    @inline(__always)
    func key(_ slot: Int) -> Key { entries[slot].key }

    /// Loads the bucket and entry a lookup of `key` would read first, so a later lookup finds them in cache
    /// (called a few rows ahead; changes nothing). Returns a value to fold into a sink.
    @inline(__always)
    func prefetch(_ key: Key) -> UInt64 {
        let hash = key.slotHash
        let bucket = buckets[Int(truncatingIfNeeded: hash) & mask]
        guard bucket >> 32 == Self.tag(hash) else { return bucket }
        return entries.withUnsafeBufferPointer { pointer in
            UnsafeRawPointer(pointer.baseAddress! + (Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1))
                .load(as: UInt8.self) == 0 ? 1 : 0
        }
    }

    /// The slot of `key`, if present.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        let hash = key.slotHash
        let tag = Self.tag(hash)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return nil }
            if bucket >> 32 == tag {
                let slot = Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1
                if entries[slot].key == key { return slot }
            }
            index = (index + 1) & mask
        }
    }

    /// The slot of `key`, inserting it with `value` when absent (`isNew`).
    @inline(__always)
    mutating func findOrInsert(_ key: Key, value: @autoclosure () -> Value) -> (slot: Int, isNew: Bool) {
        let hash = key.slotHash
        let tag = Self.tag(hash)
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[index]
            if bucket == 0 { break }
            if bucket >> 32 == tag {
                let slot = Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1
                if entries[slot].key == key { return (slot, false) }
            }
            index = (index + 1) & mask
        }
        let slot: Int
        if !freeSlots.isEmpty {
            // `removeLast` inlines; the generic `popLast` stays a call on this hot path.
            slot = Int(freeSlots.removeLast())
            entries[slot] = Entry(key: key, value: value())
            isLive[slot] = true
        } else {
            precondition(entries.count < Int(UInt32.max), "slot table is full")
            slot = entries.count
            entries.append(Entry(key: key, value: value()))
            isLive.append(true)
        }
        buckets[index] = tag << 32 | UInt64(slot + 1)
        count += 1
        if count * 2 > buckets.count { grow() }
        return (slot, true)
    }

    /// Removes live slot `slot`; the slot is reused by a later insertion.
    mutating func remove(slot: Int) {
        precondition(isLive[slot], "slot is not live")
        let target = UInt64(slot + 1)
        var index = Int(truncatingIfNeeded: entries[slot].key.slotHash) & mask
        while buckets[index] & 0xffff_ffff != target { index = (index + 1) & mask }
        // Backward-shift deletion: pull later entries of the probe run into the hole when their home
        // bucket is not between the hole and them.
        var hole = index
        var next = (hole + 1) & mask
        while buckets[next] != 0 {
            let slotAt = Int(truncatingIfNeeded: buckets[next] & 0xffff_ffff) - 1
            let home = Int(truncatingIfNeeded: entries[slotAt].key.slotHash) & mask
            if (next &- home) & mask >= (next &- hole) & mask {
                buckets[hole] = buckets[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        buckets[hole] = 0
        isLive[slot] = false
        freeSlots.append(UInt32(slot))
        count -= 1
    }

    /// Removes the live slots `slots` (distinct); many at once rebuild the buckets instead of shifting runs.
    mutating func remove(slots: [Int]) {
        guard slots.count * 8 > count else {
            for slot in slots { remove(slot: slot) }
            return
        }
        for slot in slots {
            precondition(isLive[slot], "slot is not live")
            isLive[slot] = false
            freeSlots.append(UInt32(slot))
        }
        count -= slots.count
        rebuild(size: buckets.count)
    }

    private mutating func grow() { rebuild(size: buckets.count * 2) }

    private mutating func rebuild(size: Int) {
        if size == buckets.count {
            // Clearing in place keeps the pages: a fresh array of this size is a new mapping to fault in.
            for index in buckets.indices { buckets[index] = 0 }
        } else {
            buckets = [UInt64](repeating: 0, count: size)
        }
        mask = size - 1
        for slot in entries.indices where isLive[slot] {
            let hash = entries[slot].key.slotHash
            var index = Int(truncatingIfNeeded: hash) & mask
            while buckets[index] != 0 { index = (index + 1) & mask }
            buckets[index] = Self.tag(hash) << 32 | UInt64(slot + 1)
        }
    }
}
