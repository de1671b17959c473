import ChainwatchCore
import Testing
@testable import ChainwatchFeatures

/// The activity times an account's table entry keeps, which the engine's age and recency features read.
struct AccountTableTests {
    static func key(_ i: Int) -> AccountKey { AccountKey(high: UInt64(i) &* 0x9e37_79b9_7f4a_7c15, middle: UInt64(i), low: UInt32(i)) }

    static func intern(_ table: inout AccountTable, _ i: Int, at now: Int64) -> AccountTable.Activity {
        let key = Self.key(i)
        return table.intern(key, hash: key.mixedHash, now: now, pinned: .max).before
    }

    @Test func reportsFirstAndLatestActivityBeforeEachIntern() {
        var table = AccountTable(capacity: 64)
        var before = Self.intern(&table, 1, at: 100)
        #expect(before.first == 100 && before.last == 100) // new: as of now
        before = Self.intern(&table, 1, at: 150)
        #expect(before.first == 100 && before.last == 100)
        before = Self.intern(&table, 1, at: 120) // an older row does not move the latest activity back
        #expect(before.first == 100 && before.last == 150)
        before = Self.intern(&table, 1, at: 400)
        #expect(before.first == 100 && before.last == 150)
        before = Self.intern(&table, 1, at: 400)
        #expect(before.first == 100 && before.last == 400)
        #expect(Self.intern(&table, 2, at: 90).first == 90) // another key keeps its own times
        #expect(Self.intern(&table, 1, at: 401).last == 400)
    }

    @Test func spanSaturatesAfterAboutAHundredYears() {
        var table = AccountTable(capacity: 16)
        _ = Self.intern(&table, 3, at: 0)
        let far = Int64(UInt32.max) + 1_000
        _ = Self.intern(&table, 3, at: far)
        let before = Self.intern(&table, 3, at: far + 1)
        #expect(before.last == far)
        #expect(before.first == far - Int64(UInt32.max))
    }

    @Test func evictionGoesByLatestActivityNotLatestRow() {
        var table = AccountTable(capacity: 8)
        for i in 0 ..< 8 { _ = Self.intern(&table, i, at: Int64(10 + i)) }
        _ = Self.intern(&table, 1, at: 5) // an old row of key 1: its latest activity stays 11
        let (_, isNew) = table.intern(Self.key(8), now: 20)
        #expect(isNew && table.evictions == 1)
        #expect(table.lookup(Self.key(0)) == nil) // key 0 (10) is the least recently active
        #expect(table.lookup(Self.key(1)) != nil)
    }
}
