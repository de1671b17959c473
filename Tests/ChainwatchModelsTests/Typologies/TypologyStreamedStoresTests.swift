import CProcessor
import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// Whole-line elements written around the caches (non-temporal stores) must read back exactly as plain
/// stores would: the same values, nothing written outside their line, copies still independent.
struct TypologyStreamedStoresTests {
    typealias Line = SIMD8<UInt64>

    static func line(_ n: Int) -> Line { Line(repeating: UInt64(n)) &+ Line(0, 1, 2, 3, 4, 5, 6, 7) }

    @Test func aStreamedLineLandsWholeAndAlone() {
        let buffer = _LineAlignedBuffer<Line>(repeating: Line(repeating: 0xdead), count: 3)
        var value = Self.line(41)
        withUnsafePointer(to: &value) { cw_stream_line(buffer.base + 1, $0) }
        cw_store_fence()
        #expect(buffer.base[1] == Self.line(41))
        #expect(buffer.base[0] == Line(repeating: 0xdead) && buffer.base[2] == Line(repeating: 0xdead))
    }

    /// A streamed arena (stamped, as the fan windows are) matches arrays through appends, block moves,
    /// removals and reuse, and a copy keeps what it saw.
    @Test func aStreamedArenaMatchesArrays() {
        var random = SplitMix64(seed: 11)
        var arena = _ListArena<Line>(filler: Line(repeating: 0), stamped: true, streamed: true)
        var lists = Array(repeating: _ListArena<Line>.List(), count: 5)
        var reference = Array(repeating: [Int](), count: 5)
        func contents(_ list: _ListArena<Line>.List, _ arena: _ListArena<Line>) -> [Line] {
            (0 ..< Int(list.count)).map { arena.element($0, of: list) }
        }
        for step in 0 ..< 2_000 {
            let which = Int(random.next() % 5)
            switch random.next() % 10 {
            case 0:
                arena.release(&lists[which])
                reference[which] = []
            case 1 where !reference[which].isEmpty:
                let k = 1 + Int(random.next() % UInt64(reference[which].count))
                arena.removeFirst(k, from: &lists[which])
                reference[which].removeFirst(k)
            default:
                arena.append(Self.line(step), stamp: Int64(step), to: &lists[which])
                reference[which].append(step)
            }
            #expect(contents(lists[which], arena) == reference[which].map(Self.line))
            #expect((0 ..< Int(lists[which].count)).map { arena.stamp($0, of: lists[which]) } == reference[which].map(Int64.init))
        }
        arena.fenceStores()
        let copy = arena, list = lists[0]
        let before = contents(list, copy)
        for step in 0 ..< 40 { arena.append(Self.line(10_000 + step), stamp: 0, to: &lists[0]) }
        #expect(contents(list, copy) == before)
        #expect(contents(lists[0], arena) == before + (0 ..< 40).map { Self.line(10_000 + $0) })
    }

    /// Payloads of a whole line are streamed into the recency cache; inserts and replacements read back.
    @Test func streamedCachePayloadsReadBack() {
        var cache = _RecencyCache<Line>(capacity: 64, filler: Line(repeating: 0))
        var indexes: [UInt64: Int] = [:]
        for key in 1 ... 40 as ClosedRange<UInt64> {
            let fingerprint = _RecencyCache<Line>.fingerprint(key, 0)
            indexes[fingerprint] = cache.insert(fingerprint, time: Int64(key), payload: Self.line(Int(key)))
        }
        let copy = cache
        for (fingerprint, index) in indexes where cache.find(fingerprint) != nil {
            cache.replace(index, with: Self.line(Int(index) + 1_000))
        }
        cache.fenceStores()
        var held = 0
        for (fingerprint, index) in indexes {
            guard let found = cache.find(fingerprint) else { continue }
            held += 1
            #expect(found.index == index)
            #expect(cache[index] == Self.line(index + 1_000))
            #expect(copy[index] == Self.line(Int(found.time)))
        }
        #expect(held == cache.count && held > 0)
    }
}
