import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// Lists in one `_ListArena` must behave like separate arrays, and a bounded append must hand over exactly
/// the elements it drops.
struct TypologyListArenaTests {
    static func contents(_ list: _ListArena<Int>.List, in arena: _ListArena<Int>) -> [Int] {
        (0 ..< Int(list.count)).map { arena.element($0, of: list) }
    }

    @Test func boundedAppendsMatchArraysAndDropTheOldest() {
        var generator = SystemRandomNumberGenerator()
        for limit in [1, 3, 16] {
            var arena = _ListArena<Int>(filler: -1)
            var lists = Array(repeating: _ListArena<Int>.List(), count: 5)
            var reference = Array(repeating: [Int](), count: 5)
            for step in 0 ..< 2_000 {
                let which = Int.random(in: 0 ..< lists.count, using: &generator)
                switch Int.random(in: 0 ..< 10, using: &generator) {
                case 0:
                    // Drop a list whole.
                    arena.release(&lists[which])
                    reference[which] = []
                case 1 where !reference[which].isEmpty:
                    let index = Int.random(in: 0 ..< reference[which].count, using: &generator)
                    reference[which].remove(at: index)
                    arena.remove(at: index, from: &lists[which])
                case 2:
                    // Without reading what it drops.
                    arena.append(step, to: &lists[which], keeping: limit)
                    reference[which] = Array((reference[which] + [step]).suffix(limit))
                default:
                    var dropped: [Int] = []
                    arena.append(step, to: &lists[which], keeping: limit) { dropped.append($0) }
                    let all = reference[which] + [step]
                    #expect(dropped == Array(all.dropLast(limit)))
                    reference[which] = Array(all.suffix(limit))
                }
                #expect(Self.contents(lists[which], in: arena) == reference[which])
            }
            for index in lists.indices { #expect(Self.contents(lists[index], in: arena) == reference[index]) }
            // Storage stays at what lists of `limit` elements need: no block of twice the limit.
            #expect(arena.storage.count <= lists.count * 2 * limit.nextPowerOfTwo)
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
