import ChainwatchCore
import CProcessor

/// Interns 20-byte account keys into dense `UInt32` ids, with a cap and least-recently-active eviction.
///
/// Open addressing with linear probing over a power-of-two slot array of ids; keys live once, inline,
/// in a dense column indexed by id, so a probe compares three words without chasing pointers. Each key
/// shares its 32 bytes with the account's activity times (first and last), so the recency update of a
/// hit touches the line the key compare just loaded, and the feature engine reads an account's age and
/// time since its last transaction there instead of keeping them in its own state.
///
///     slots:   [ 7 | ∅ | 2 | 0 | ∅ | … ]                      UInt32 ids, ∅ = UInt32.max, load ≤ ¼
///     entries: [ k0 s0 t0 | k1 s1 t1 | … ]                     AccountKey (20 B), active span (4 B, in the
///                                                             key's tail padding), latest intern time
///                                                             (8 B) by id; Int64.min = free id
///
/// Times are event time (block timestamps, seconds). The last-active time is the latest `now` an intern
/// brought (a row older than the account's latest activity does not move it back); the first-active time
/// is the time of the insert, kept as the span up to the last-active time (saturating at 2³² − 1 s,
/// ≈ 136 years, far beyond any chain's history).
///
/// When a new key arrives and `capacity` ids are live, the oldest ⅛ by (lastActive, id) are evicted in
/// one pass (deterministic), their ids go to a free list (reused lowest first) and the slot array is
/// rebuilt. Callers reset per-account state when ``intern(_:now:pinned:)`` reports `isNew`.
///
/// Memory: 32 bytes per id plus 16–32 bytes of slots per id (both grow by doubling up to the cap, never
/// past it). Cost: one to two cache misses per intern once the table outgrows the cache — the largest
/// single cost of the engine at ~10⁶ accounts. `~Copyable`, like the engine that owns it: the entries
/// are one manually managed column, written in place on every hit.
public struct AccountTable: ~Copyable, Sendable {
    struct Entry {
        var key: AccountKey
        /// Seconds from the first to the last activity (saturating).
        var activeSpan: UInt32 = 0
        var lastActive: Int64
    }

    /// An account's activity as the table knew it before an intern: first and latest active times.
    struct Activity {
        var first: Int64
        var last: Int64
    }

    public let capacity: Int
    private var slots: [UInt32]
    private var mask: Int
    private var entries: _Column<Entry>
    private var freeIDs: [UInt32] = [] // sorted descending: popLast() gives the lowest
    public private(set) var count = 0
    /// Accounts evicted so far.
    public private(set) var evictions = 0
    /// Ids freed by the most recent eviction pass (ascending).
    public private(set) var lastEvicted: [UInt32] = []

    private static let empty = UInt32.max
    /// The fewest slots per live account (load ≤ ¼). The feature engine prefetches each account's state by
    /// the id in its key's home slot; a key displaced further along its probe run has its state guessed
    /// wrong, and at load ≤ ½ those misses cost the engine ≈ 5 % of its time, for 8 more bytes per account.
    private static let slotsPerAccount = 4
    private static let freeMarker = Int64.min

    /// - Parameter capacity: maximum number of live accounts (≥ 8).
    public init(capacity: Int) {
        precondition(capacity >= 8 && capacity < Int(UInt32.max), "capacity must be in 8 ..< 2^32 - 1")
        self.capacity = capacity
        entries = _Column(limit: capacity)
        let initial = min(1 << 10, Self.slotCount(for: capacity))
        slots = [UInt32](repeating: Self.empty, count: initial)
        mask = initial - 1
    }

    /// Smallest power of two ≥ ``slotsPerAccount`` · n.
    private static func slotCount(for n: Int) -> Int {
        var size = 16
        while size < slotsPerAccount * n { size <<= 1 }
        return size
    }

    /// Looks up the dense id of `key` without touching recency.
    @inline(__always)
    public func lookup(_ key: AccountKey) -> UInt32? {
        var index = Int(truncatingIfNeeded: key.mixedHash) & mask
        while true {
            let id = slots[index]
            if id == Self.empty { return nil }
            if entries[Int(id)].key == key { return id }
            index = (index + 1) & mask
        }
    }

    /// Hints the cache to load the slot a lookup of a key with hash `hash` (`AccountKey.mixedHash`) probes first.
    @inline(__always)
    func prefetchHomeSlot(hash: UInt64) {
        slots.withUnsafeBufferPointer { cw_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// The id in the slot a lookup of hash `hash` probes first, and hints the cache to load that id's key.
    ///
    /// A guess for prefetching only: at load ≤ ¼ most keys sit in their home slot, so this is usually the
    /// key's own id, but it may be another key's or none.
    @inline(__always)
    func prefetchHomeKey(hash: UInt64) -> UInt32? {
        let id = slots[Int(truncatingIfNeeded: hash) & mask]
        guard id != Self.empty else { return nil }
        guard Int(id) < entries.count else { return nil }
        cw_prefetch(entries.pointer(Int(id)))
        return id
    }

    /// The id of `key`, inserting it (and evicting if full) when absent; marks it active at `now`.
    ///
    /// - Parameters:
    ///   - now: event time in seconds (block timestamp) — recency is event time, never the wall clock.
    ///   - pinned: an id that must survive an eviction triggered by this call (the sender of the row).
    /// - Returns: the id and whether it is new (fresh or reused after an eviction: reset its state).
    @inline(__always)
    public mutating func intern(_ key: AccountKey, now: Int64, pinned: UInt32 = .max) -> (id: UInt32, isNew: Bool) {
        let (id, isNew, _) = intern(key, hash: key.mixedHash, now: now, pinned: pinned)
        return (id, isNew)
    }

    /// ``intern(_:now:pinned:)`` with the key's `mixedHash` already computed; also returns the account's
    /// activity from before this call (a new account's is `now`, `now`).
    @inline(__always)
    mutating func intern(_ key: AccountKey, hash: UInt64, now: Int64, pinned: UInt32) -> (id: UInt32, isNew: Bool, before: Activity) {
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[index]
            if id == Self.empty { break }
            let entry = entries.pointer(Int(id))
            if entry.pointee.key == key {
                let last = entry.pointee.lastActive, span = entry.pointee.activeSpan
                if now > last {
                    entry.pointee.lastActive = now
                    let grown = UInt64(span) &+ UInt64(bitPattern: now &- last)
                    entry.pointee.activeSpan = grown > UInt64(UInt32.max) ? .max : UInt32(truncatingIfNeeded: grown)
                }
                return (id, false, Activity(first: last &- Int64(span), last: last))
            }
            index = (index + 1) & mask
        }
        return (insert(key, now: now, pinned: pinned), true, Activity(first: now, last: now))
    }

    private mutating func insert(_ key: AccountKey, now: Int64, pinned: UInt32) -> UInt32 {
        if count == capacity { evictOldest(pinned: pinned) }
        if Self.slotsPerAccount * (count + 1) > slots.count { rebuild(slotCount: 2 * slots.count) }
        let id: UInt32
        if let reused = freeIDs.popLast() {
            id = reused
            entries[Int(id)] = Entry(key: key, activeSpan: 0, lastActive: now)
        } else {
            id = UInt32(entries.count)
            if entries.count == entries.capacity {
                // Never past the cap: a full table carries no slack.
                entries.reserve(entries.grownCapacity(cap: capacity))
            }
            entries.append(Entry(key: key, activeSpan: 0, lastActive: now))
        }
        place(id, key: key)
        count += 1
        return id
    }

    @inline(__always)
    private mutating func place(_ id: UInt32, key: AccountKey) {
        var index = Int(truncatingIfNeeded: key.mixedHash) & mask
        while slots[index] != Self.empty { index = (index + 1) & mask }
        slots[index] = id
    }

    private mutating func rebuild(slotCount: Int) {
        slots = [UInt32](repeating: Self.empty, count: slotCount)
        mask = slotCount - 1
        for id in 0 ..< entries.count where entries[id].lastActive != Self.freeMarker {
            place(UInt32(id), key: entries[id].key)
        }
    }

    /// Evicts the ⅛ least recently active ids (ties: lower id first), never `pinned`.
    /// - Complexity: O(n log n) per pass, once every n/8 new accounts: O(log n) amortised per insert.
    private mutating func evictOldest(pinned: UInt32) {
        var order: [(time: Int64, id: UInt32)] = []
        order.reserveCapacity(count)
        for id in 0 ..< entries.count where entries[id].lastActive != Self.freeMarker && UInt32(id) != pinned {
            order.append((entries[id].lastActive, UInt32(id)))
        }
        order.sort { $0.time != $1.time ? $0.time < $1.time : $0.id < $1.id }
        let victims = order.prefix(max(1, capacity / 8)).map(\.id).sorted()
        for id in victims { entries.pointer(Int(id)).pointee.lastActive = Self.freeMarker }
        freeIDs.append(contentsOf: victims.reversed())
        freeIDs.sort(by: >)
        count -= victims.count
        evictions += victims.count
        lastEvicted = victims
        rebuild(slotCount: slots.count)
    }

    /// The key of a live id.
    public func key(of id: UInt32) -> AccountKey { entries[Int(id)].key }

    /// Upper bound on ids handed out so far (size of per-account arrays).
    public var idLimit: Int { entries.count }

    /// Bytes held by the table (from capacities, not counts).
    public var memoryBytes: Int {
        slots.capacity * 4 + entries.allocatedBytes + freeIDs.capacity * 4
    }
}
