import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// Lists in one `_ListArena` must behave like separate arrays, a bounded append must hand over exactly
/// the elements it drops, and a stamped arena's stamps must stay with their elements.
struct TypologyListArenaTests {
    static func contents(_ list: _ListArena<Int>.List, in arena: _ListArena<Int>) -> [Int] {
        (0 ..< Int(list.count)).map { arena.element($0, of: list) }
    }

    static func stamps(_ list: _ListArena<Int>.List, in arena: _ListArena<Int>) -> [Int64] {
        (0 ..< Int(list.count)).map { arena.stamp($0, of: list) }
    }

    /// The edits both tests make besides appending: `choice` 0 drops list `which` whole, 1 removes one of its
    /// elements at random. Returns whether it made one.
    static func dropOrRemove(
        _ choice: Int, list which: Int, arena: inout _ListArena<Int>, lists: inout [_ListArena<Int>.List],
        reference: inout [[Int]], using generator: inout SystemRandomNumberGenerator
    ) -> Bool {
        switch choice {
        case 0:
            arena.release(&lists[which])
            reference[which] = []
        case 1 where !reference[which].isEmpty:
            let index = Int.random(in: 0 ..< reference[which].count, using: &generator)
            reference[which].remove(at: index)
            arena.remove(at: index, from: &lists[which])
        default:
            return false
        }
        return true
    }

    @Test func stampsFollowTheirElementsThroughMovesRemovalsAndReuse() {
        var generator = SystemRandomNumberGenerator()
        var arena = _ListArena<Int>(filler: -1, stamped: true)
        var lists = Array(repeating: _ListArena<Int>.List(), count: 6)
        var reference = Array(repeating: [Int](), count: 6)
        for step in 0 ..< 3_000 {
            let which = Int.random(in: 0 ..< lists.count, using: &generator)
            let choice = Int.random(in: 0 ..< 12, using: &generator)
            if !Self.dropOrRemove(choice, list: which, arena: &arena, lists: &lists, reference: &reference, using: &generator) {
                if choice == 2, !reference[which].isEmpty {
                    let k = Int.random(in: 1 ... reference[which].count, using: &generator)
                    reference[which].removeFirst(k)
                    arena.removeFirst(k, from: &lists[which])
                } else {
                    // Lists grow past several block sizes, so elements move with their stamps.
                    arena.append(step, stamp: Int64(step) * 7 - 3, to: &lists[which])
                    reference[which].append(step)
                }
            }
            #expect(Self.contents(lists[which], in: arena) == reference[which])
            #expect(Self.stamps(lists[which], in: arena) == reference[which].map { Int64($0) * 7 - 3 })
        }
        // A copy keeps what it saw while the original changes (value semantics).
        for step in 0 ..< 4 { arena.append(step, stamp: Int64(step), to: &lists[0]) }
        let copy = arena
        let list = lists[0]
        let (elements, stamps) = (Self.contents(list, in: copy), Self.stamps(list, in: copy))
        arena.set(0, of: lists[0], to: 12_345)
        arena.remove(at: 0, from: &lists[0])
        for step in 0 ..< 40 { arena.append(-step, stamp: 0, to: &lists[0]) }
        #expect(Array(Self.contents(lists[0], in: arena).prefix(elements.count - 1)) == Array(elements.dropFirst()))
        #expect(Self.contents(list, in: copy) == elements)
        #expect(Self.stamps(list, in: copy) == stamps)
    }

    @Test func boundedAppendsMatchArraysAndDropTheOldest() {
        var generator = SystemRandomNumberGenerator()
        for limit in [1, 3, 16] {
            var arena = _ListArena<Int>(filler: -1)
            var lists = Array(repeating: _ListArena<Int>.List(), count: 5)
            var reference = Array(repeating: [Int](), count: 5)
            for step in 0 ..< 2_000 {
                let which = Int.random(in: 0 ..< lists.count, using: &generator)
                let choice = Int.random(in: 0 ..< 10, using: &generator)
                if !Self.dropOrRemove(choice, list: which, arena: &arena, lists: &lists, reference: &reference, using: &generator) {
                    if choice == 2 {
                        // Without reading what it drops.
                        arena.append(step, to: &lists[which], keeping: limit)
                        reference[which] = Array((reference[which] + [step]).suffix(limit))
                    } else {
                        var dropped: [Int] = []
                        arena.append(step, to: &lists[which], keeping: limit) { dropped.append($0) }
                        let all = reference[which] + [step]
                        #expect(dropped == Array(all.dropLast(limit)))
                        reference[which] = Array(all.suffix(limit))
                    }
                }
                #expect(Self.contents(lists[which], in: arena) == reference[which])
            }
            for index in lists.indices { #expect(Self.contents(lists[index], in: arena) == reference[index]) }
            // Storage stays at what lists of `limit` elements need: no block of twice the limit.
            #expect(arena.storageCount <= lists.count * 2 * limit.nextPowerOfTwo)
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
