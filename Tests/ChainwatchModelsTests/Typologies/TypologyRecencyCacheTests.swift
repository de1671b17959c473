import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// The set-associative recency cache behind the fan detectors' pair memory and address poisoning.
struct TypologyRecencyCacheTests {
    static func account(_ n: UInt64) -> AccountKey { AccountKey(high: n, middle: n &* 0x9e37_79b9, low: UInt32(truncatingIfNeeded: n)) }

    static func pair(_ n: UInt64) -> UInt64 { account(n).pairFingerprint(to: account(n + 1_000)) }

    @Test func capacityIsThePowerOfTwoShareThatFits() {
        #expect(_RecencyCache<Void>(capacity: 75_000).capacity == 65_536)
        #expect(_RecencyCache<Void>(capacity: 65_536).capacity == 65_536)
        #expect(_RecencyCache<Void>(capacity: 8).capacity == 8)
        #expect(_RecencyCache<Void>(capacity: 7).capacity == 4)
        #expect(_RecencyCache<Void>(capacity: 0).capacity == 4)
    }

    @Test func exchangeReturnsThePreviousTimeAndRecordsTheNewOne() {
        var memory = _RecencyCache<Void>(capacity: 1_024)
        #expect(memory.exchange(Self.pair(1), time: 100) == nil)
        #expect(memory.count == 1)
        #expect(memory.exchange(Self.pair(1), time: 250) == 100)
        #expect(memory.exchange(Self.pair(1), time: 300) == 250)
        #expect(memory.exchange(Self.pair(2), time: 300) == nil)
        #expect(memory.count == 2)
    }

    @Test func aFullSetForgetsItsLeastRecentlySeenPair() {
        // One set of four ways: every pair lands in it.
        var memory = _RecencyCache<Void>(capacity: 4)
        for n: UInt64 in 1 ... 4 { #expect(memory.exchange(Self.pair(n), time: Int64(n) * 10) == nil) }
        #expect(memory.exchange(Self.pair(1), time: 50) == 10) // pair 2 (time 20) is now the oldest
        #expect(memory.exchange(Self.pair(5), time: 60) == nil)
        #expect(memory.count == 4)
        #expect(memory.exchange(Self.pair(2), time: 70) == nil) // forgotten; it takes pair 3's way (time 30)
        #expect(memory.exchange(Self.pair(3), time: 80) == nil) // forgotten; it takes pair 4's way (time 40)
        #expect(memory.exchange(Self.pair(1), time: 90) == 50)
        #expect(memory.exchange(Self.pair(5), time: 90) == 60)
    }

    @Test func tiesGoToTheLowestWay() {
        var memory = _RecencyCache<Void>(capacity: 4)
        for n: UInt64 in 1 ... 4 { _ = memory.exchange(Self.pair(n), time: 10) }
        #expect(memory.exchange(Self.pair(5), time: 10) == nil) // replaces way 0: pair 1
        #expect(memory.exchange(Self.pair(2), time: 20) == 10)
        #expect(memory.exchange(Self.pair(1), time: 20) == nil)
    }

    @Test func aCopyIsIndependent() {
        var memory = _RecencyCache<Void>(capacity: 64)
        for n: UInt64 in 1 ... 40 { _ = memory.exchange(Self.pair(n), time: Int64(n)) }
        var copy = memory
        #expect(copy.exchange(Self.pair(7), time: 1_000) == 7)
        #expect(memory.exchange(Self.pair(7), time: 2_000) == 7)
        #expect(copy.exchange(Self.pair(7), time: 3_000) == 1_000)
        #expect(copy.count == memory.count)
    }

    @Test func fingerprintsTellDirectionsApartAndAreNeverZero() {
        let a = Self.account(1), b = Self.account(2)
        #expect(a.pairFingerprint(to: b) != b.pairFingerprint(to: a))
        #expect(AccountKey.none.pairFingerprint(to: .none) != 0)
        var seen = Set<UInt64>()
        for n: UInt64 in 0 ..< 10_000 { seen.insert(Self.pair(n)) }
        #expect(seen.count == 10_000)
    }
}
