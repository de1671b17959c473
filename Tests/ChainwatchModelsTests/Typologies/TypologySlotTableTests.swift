import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The slot table's buckets and entries live in storage of their own, shared by copies until one of them writes.
struct TypologySlotTableTests {
    static func key(_ n: Int) -> AccountKey { AccountKey(hashing: Array("slot-\(n)".utf8)) }

    @Test func copiesAreIndependentThroughInsertsRemovalsAndRebuilds() {
        var table = _SlotTable<AccountKey, Int>()
        for n in 0 ..< 5_000 { _ = table.findOrInsert(Self.key(n), value: n) }
        var copy = table
        copy[copy.find(Self.key(4_999))!] = -1
        // The copy grows (rebuilds), removes one by one (shifts) and many at once (same-size rebuild).
        for n in 5_000 ..< 20_000 { _ = copy.findOrInsert(Self.key(n), value: n) }
        copy.remove(slot: copy.find(Self.key(1))!)
        copy.remove(slots: (2 ..< 4_000).map { copy.find(Self.key($0))! })
        // The original still holds exactly its 5,000 keys, each with its value.
        #expect(table.count == 5_000)
        for n in 0 ..< 5_000 { #expect(table.find(Self.key(n)).map { table[$0] } == n) }
        #expect(table.find(Self.key(5_000)) == nil)
        // And the copy holds what it was given.
        #expect(copy.count == 20_000 - 1 - 3_998)
        #expect(copy.find(Self.key(1)) == nil && copy.find(Self.key(3_999)) == nil)
        for n in [0, 4_000, 12_345, 19_999] { #expect(copy.find(Self.key(n)).map { copy[$0] } == n) }
        #expect(copy.find(Self.key(4_999)).map { copy[$0] } == -1)
        // Writing to the original after the copy's writes leaves the copy alone too.
        table.remove(slot: table.find(Self.key(0))!)
        #expect(copy.find(Self.key(0)).map { copy[$0] } == 0)
    }

    /// Writes that assume unique storage come after `ensureUnique()`, which detaches a table, arena or cache
    /// from its copies: the copies keep what they held.
    @Test func ensureUniqueDetachesCopiesBeforeUncheckedWrites() {
        var table = _SlotTable<AccountKey, Int>()
        let slot = table.findOrInsert(Self.key(1), value: 1).slot
        var arena = _ListArena<Int>(filler: 0)
        var list = _ListArena<Int>.List()
        arena.append(5, to: &list)
        var cache = _RecencyCache<Int>(capacity: 8, filler: 0)
        let index = cache.insert(9, time: 1, payload: 1)
        let (tableCopy, arenaCopy, cacheCopy, listCopy) = (table, arena, cache, list)
        table.ensureUnique()
        arena.ensureUnique()
        cache.ensureUnique()
        table[assumingUnique: slot] = 2
        _ = table.findOrInsert(Self.key(2), hash: Self.key(2).slotHash, value: 3, assumingUnique: true)
        arena.set(0, of: list, to: 6, assumingUnique: true)
        arena.append(7, to: &list, assumingUnique: true)
        cache.replace(index, with: 2, assumingUnique: true)
        cache.touch(index, time: 5, assumingUnique: true)
        #expect(table[slot] == 2 && table.count == 2)
        #expect(tableCopy[slot] == 1 && tableCopy.count == 1 && tableCopy.find(Self.key(2)) == nil)
        #expect(arena.element(0, of: list) == 6 && arena.element(1, of: list) == 7)
        #expect(arenaCopy.element(0, of: listCopy) == 5 && listCopy.count == 1)
        #expect(cache[index] == 2 && cache.find(9)?.time == 5)
        #expect(cacheCopy[index] == 1 && cacheCopy.find(9)?.time == 1)
    }

    /// Inserts, single removals and mass removals (which re-place the remaining buckets in place) in random
    /// order agree with a dictionary: every kept key is found with its value, no removed key is found.
    @Test func randomOperationsMatchADictionary() {
        var random = SplitMix64(seed: 7)
        var table = _SlotTable<AccountKey, Int>()
        var reference: [AccountKey: Int] = [:]
        for round in 0 ..< 40 {
            for _ in 0 ..< Int(random.next() % 3_000) {
                let n = Int(random.next() % 20_000)
                let slot = table.findOrInsert(Self.key(n), value: n).slot
                table[slot] = n + round
                reference[Self.key(n)] = n + round
            }
            for _ in 0 ..< 5 {
                guard let key = reference.keys.sorted().randomElement(using: &random) else { break }
                table.remove(slot: table.find(key)!)
                reference[key] = nil
            }
            // Between a quarter and all of what is left, at once.
            let doomed = reference.keys.sorted().filter { _ in random.next() % 4 != 0 || round % 10 == 9 }
            table.remove(slots: doomed.map { table.find($0)! })
            for key in doomed { reference[key] = nil }
            #expect(table.count == reference.count)
            for (key, value) in reference { #expect(table.find(key).map { table[$0] } == value) }
            #expect(doomed.allSatisfy { table.find($0) == nil })
        }
    }
}

struct TypologyLineAlignedBufferTests {
    /// Entries start on a cache line (64-byte entries never straddle two), also once the buffer is large
    /// enough for huge pages, and a copy holds the same elements in storage of its own.
    @Test func entriesStartOnACacheLineAndCopiesOwnTheirStorage() {
        for capacity in [1, 16, 1_000, 2 * _HugePages.threshold / 64] {
            let buffer = _LineAlignedBuffer<(UInt64, UInt64)>(capacity: capacity)
            #expect(Int(bitPattern: buffer.base) % 64 == 0)
            #expect(buffer.capacity == capacity && buffer.count == 0)
            for index in 0 ..< min(capacity, 100) { buffer.append((UInt64(index), 7)) }
            let copy = buffer.copy(capacity: capacity + 1)
            #expect(copy.base != buffer.base && copy.count == buffer.count && copy.capacity == capacity + 1)
            #expect((0 ..< copy.count).allSatisfy { copy.base[$0] == (UInt64($0), 7) })
            copy.base[0] = (99, 99)
            #expect(buffer.base[0] == (0, 7))
        }
    }

    /// The entries read at random are one cache line each: a fan hub with its key, a transfer in its window,
    /// and what address poisoning remembers of a real transfer.
    @Test func randomlyReadEntriesFitOneLine() {
        #expect(MemoryLayout<_SlotTable<AccountKey, _FanCounter.Hub>.Entry>.stride == 64)
        #expect(MemoryLayout<_FanCounter.Entry>.stride == 64)
        #expect(MemoryLayout<AddressPoisoningDetector.Counterparty>.stride == 64)
    }
}
