import CProcessor
import ChainwatchCore

/// A key the typology state tables index: equatable, with a well-mixed 64-bit hash.
protocol _SlotKey: Equatable, Sendable {
    var slotHash: UInt64 { get }
}

extension AccountKey: _SlotKey {
    @inline(__always)
    var slotHash: UInt64 { mixedHash }
}

/// A hash table from keys to per-key state, kept in one buffer of (key, value) entries addressed by a dense
/// slot number: a lookup reads one bucket word and, on a tag match, the entry that holds both the key to
/// confirm and the state to update (no per-entry heap object, no `Dictionary` value copies).
///
/// Open addressing with linear probing over 64-bit buckets (`tag << 32 | slot + 1`, 0 = empty), at most
/// half full; deletion shifts the following run back, so there are no tombstones. Freed slots are reused
/// (last freed first), so the entry array stays at the high-water mark of live keys.
///
/// The tag is the hash's low 32 bits (bit 0 forced on) and the home bucket is hash bits 1 and up, so a
/// bucket alone says where its key belongs: re-placing the buckets (growth, mass removal) and shifting a
/// run back after a removal read no entry and hash no key.
struct _SlotTable<Key: _SlotKey, Value: Sendable>: Sendable {
    struct Entry: Sendable {
        var key: Key
        var value: Value
    }

    /// Every slot's entry (meaningful where `isLive`), line-aligned: a 64-byte entry is one cache line.
    private var entries = _LineAlignedBuffer<Entry>(capacity: 16)
    private(set) var isLive: [Bool] = []
    private(set) var count = 0
    /// Line-aligned like the entries (on 2 MiB pages when large, as their lookups are as random). Copied
    /// whenever `entries` is, so one uniqueness check covers both.
    private var buckets: _LineAlignedBuffer<UInt64>
    private var mask: Int
    private var freeSlots: [UInt32] = []

    init() {
        buckets = _LineAlignedBuffer(repeating: 0, count: 64)
        mask = 63
    }

    /// Slots ever handed out (live or free); valid slots are `0 ..< slotCount`.
    var slotCount: Int { entries.count }

    /// Copies the entries and buckets before a write when another table shares them (value semantics), or,
    /// `assumingUnique`, checks in debug builds that ``ensureUnique()`` made them unique.
    @inline(__always)
    private mutating func makeUnique(assumingUnique: Bool = false) {
        if _LineAlignedBuffer.makeUnique(&entries, assumingUnique: assumingUnique) {
            buckets = buckets.copy(capacity: buckets.capacity)
        }
    }

    /// Makes the storage unique ahead of a batch of writes that assume it (`assumingUnique: true`): each
    /// check is a runtime call the optimiser cannot see through, and a row made several. A caller that
    /// assumes uniqueness calls this first and makes no copy of the table until its writes are done.
    mutating func ensureUnique() { makeUnique() }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { (hash & 0xffff_ffff) | 1 }

    /// The home bucket of a key with hash `hash`.
    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 1) & mask }

    /// The home bucket of the key that non-empty bucket `bucket` holds (from its tag).
    @inline(__always)
    private static func home(ofBucket bucket: UInt64, mask: Int) -> Int { Int(truncatingIfNeeded: bucket >> 33) & mask }

    /// The state of live slot `slot`.
    @inline(__always)
    subscript(slot: Int) -> Value {
        get {
            precondition(slot >= 0 && slot < entries.count, "slot out of range")
            return entries.base[slot].value
        }
        _modify {
            precondition(slot >= 0 && slot < entries.count, "slot out of range")
            makeUnique()
            yield &entries.base[slot].value
        }
    }

    /// The state of live slot `slot`, for writes after ``ensureUnique()``.
    @inline(__always)
    subscript(assumingUnique slot: Int) -> Value {
        get { self[slot] }
        _modify {
            precondition(slot >= 0 && slot < entries.count, "slot out of range")
            makeUnique(assumingUnique: true)
            yield &entries.base[slot].value
        }
    }

    @inline(__always)
    func key(_ slot: Int) -> Key {
        precondition(slot >= 0 && slot < entries.count, "slot out of range")
        return entries.base[slot].key
    }

    /// Requests the bucket line a lookup of the key whose `slotHash` is `hash` reads first (a prefetch hint
    /// that retires at once and changes nothing). Called a chunk of rows ahead of ``prefetchEntry(hash:)``.
    @inline(__always)
    func prefetchBucket(hash: UInt64) {
        let index = home(hash)
        cw_prefetch(buckets.base + index)
    }

    /// Requests the entry line of the key whose `slotHash` is `hash` when its home bucket (requested by
    /// ``prefetchBucket(hash:)`` earlier, so by now in cache) holds its tag.
    @inline(__always)
    func prefetchEntry(hash: UInt64) {
        let bucket = buckets.base[home(hash)]
        guard bucket >> 32 == Self.tag(hash) else { return }
        let entry = entries.base + (Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1)
        cw_prefetch(entry)
        // An entry longer than a line ends on the next one.
        if MemoryLayout<Entry>.stride > 64 { cw_prefetch(UnsafeRawPointer(entry) + (MemoryLayout<Entry>.stride - 1)) }
    }

    /// Loads the bucket and entry a lookup of the key whose `slotHash` is `hash` would read first, so a later
    /// lookup finds them in cache (called a few rows ahead; changes nothing). Returns a value to fold into a
    /// sink.
    @inline(__always)
    func prefetch(hash: UInt64) -> UInt64 {
        let bucket = buckets.base[home(hash)]
        guard bucket >> 32 == Self.tag(hash) else { return bucket }
        return UnsafeRawPointer(entries.base + (Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1)).load(as: UInt8.self) == 0 ? 1 : 0
    }

    /// The slot of `key`, if present.
    @inline(__always)
    func find(_ key: Key) -> Int? { find(key, hash: key.slotHash) }

    /// ``find(_:)`` with the key's `slotHash` already at hand (`hash`).
    @inline(__always)
    func find(_ key: Key, hash: UInt64) -> Int? {
        let found = probe(key, hash: hash)
        return found.slot < 0 ? nil : found.slot
    }

    /// Where `key` is: its slot (−1 when absent) and the bucket holding it, or else the empty bucket that
    /// ends its probe run (where it would go).
    ///
    /// Reads through unchecked buffers: bucket indexes are masked to the array's size, and a bucket's slot
    /// is always an entry index (the invariant every insertion and removal keeps).
    @inline(__always)
    private func probe(_ key: Key, hash: UInt64) -> (bucket: Int, slot: Int) {
        assert(hash == key.slotHash, "a hash passed with a key is the key's slotHash")
        let tag = Self.tag(hash)
        var index = home(hash)
        let mask = mask
        let entries = entries.base, buckets = buckets.base
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return (index, -1) }
            if bucket >> 32 == tag {
                let slot = Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1
                if entries[slot].key == key { return (index, slot) }
            }
            index = (index + 1) & mask
        }
    }

    /// The slot of `key`, inserting it with `value` when absent (`isNew`).
    @inline(__always)
    mutating func findOrInsert(_ key: Key, value: @autoclosure () -> Value) -> (slot: Int, isNew: Bool) {
        findOrInsert(key, hash: key.slotHash, value: value())
    }

    /// ``findOrInsert(_:value:)`` with the key's `slotHash` already at hand (`hash`).
    @inline(__always)
    mutating func findOrInsert(
        _ key: Key, hash: UInt64, value: @autoclosure () -> Value, assumingUnique: Bool = false
    ) -> (slot: Int, isNew: Bool) {
        let found = probe(key, hash: hash)
        if found.slot >= 0 { return (found.slot, false) }
        let index = found.bucket
        let tag = Self.tag(hash)
        let slot: Int
        makeUnique(assumingUnique: assumingUnique)
        if !freeSlots.isEmpty {
            // `removeLast` inlines; the generic `popLast` stays a call on this hot path.
            slot = Int(freeSlots.removeLast())
            entries.base[slot] = Entry(key: key, value: value())
            isLive[slot] = true
        } else {
            precondition(entries.count < Int(UInt32.max), "slot table is full")
            slot = entries.count
            if entries.count == entries.capacity { entries = entries.copy(capacity: 2 * entries.capacity) }
            entries.append(Entry(key: key, value: value()))
            isLive.append(true)
        }
        buckets.base[index] = tag << 32 | UInt64(slot + 1)
        count += 1
        if count * 2 > buckets.count { grow() }
        return (slot, true)
    }

    /// Removes live slot `slot`; the slot is reused by a later insertion.
    mutating func remove(slot: Int) {
        precondition(isLive[slot], "slot is not live")
        makeUnique()
        let buckets = buckets.base, mask = mask
        let target = UInt64(slot + 1)
        var index = home(key(slot).slotHash)
        while buckets[index] & 0xffff_ffff != target { index = (index + 1) & mask }
        // Backward-shift deletion: pull later entries of the probe run into the hole when their home
        // bucket is not between the hole and them.
        var hole = index
        var next = (hole + 1) & mask
        while buckets[next] != 0 {
            let home = Self.home(ofBucket: buckets[next], mask: mask)
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

    /// Removes the live slots `slots` (distinct); many at once re-place the buckets in one pass instead of
    /// shifting a run per slot.
    mutating func remove(slots: [Int]) {
        guard slots.count * 8 > count else {
            for slot in slots { remove(slot: slot) }
            return
        }
        makeUnique()
        for slot in slots {
            precondition(isLive[slot], "slot is not live")
            isLive[slot] = false
            freeSlots.append(UInt32(slot))
        }
        count -= slots.count
        compactBuckets()
    }

    /// Drops the buckets of freed slots and moves the others back along their probe runs, in place.
    ///
    /// The pass starts after an empty bucket (there is one: the table is at most half full), so every
    /// bucket's home lies between the start and the bucket. Each bucket is lifted out and put back at the
    /// first empty bucket from its home on — at the latest where it was, as that is empty now.
    private mutating func compactBuckets() {
        let buckets = buckets.base, size = self.buckets.count, mask = mask
        var start = 0
        while buckets[start] != 0 { start += 1 }
        isLive.withUnsafeBufferPointer { isLive in
            for step in 1 ... size {
                let position = (start + step) & mask
                let bucket = buckets[position]
                guard bucket != 0 else { continue }
                buckets[position] = 0
                // A freed slot's bucket is "put back" as 0 into an empty bucket: no branch on liveness,
                // which is as good as random here.
                let live = isLive[Int(truncatingIfNeeded: bucket & 0xffff_ffff) - 1]
                var index = Self.home(ofBucket: bucket, mask: mask)
                while buckets[index] != 0 { index = (index + 1) & mask }
                buckets[index] = live ? bucket : 0
            }
        }
    }

    /// Doubles the buckets, re-placing every one from the old buckets alone.
    private mutating func grow() {
        // A bucket's tag holds hash bits 1…31, enough to place it in up to 2³¹ buckets.
        precondition(buckets.count < 1 << 31, "slot table is full")
        let size = buckets.count * 2, newMask = size - 1
        let fresh = _LineAlignedBuffer<UInt64>(repeating: 0, count: size)
        let old = buckets.base, target = fresh.base
        for position in 0 ..< buckets.count where old[position] != 0 {
            var index = Self.home(ofBucket: old[position], mask: newMask)
            while target[index] != 0 { index = (index + 1) & newMask }
            target[index] = old[position]
        }
        buckets = fresh
        mask = newMask
    }
}
