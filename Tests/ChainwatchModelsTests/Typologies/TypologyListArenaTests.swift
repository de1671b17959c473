import ChainwatchCore
@testable import ChainwatchModels
import Testing

/// Lists in one `_ListArena` must behave like separate arrays, and a bounded append must release exactly
/// the stored transactions of the elements it drops.
struct TypologyListArenaTests {
    struct Item: Sendable, Equatable {
        var value: Int
        var ref: UInt32
    }

    static func contents(_ list: _ListArena<Item>.List, in arena: _ListArena<Item>) -> [Item] {
        (0 ..< Int(list.count)).map { arena.element($0, of: list) }
    }

    @Test func boundedAppendsMatchArraysAndReleaseWhatTheyDrop() {
        let batch = TypologyTest.batch((0 ..< 4).map { Transfer(from: TypologyTest.address($0), to: TypologyTest.address(9), amount: 1, block: 1) })
        var generator = SystemRandomNumberGenerator()
        for limit in [0, 1, 3, 16] {
            var arena = _ListArena<Item>(filler: Item(value: -1, ref: 0))
            var pool = _TxRefPool()
            var lists = Array(repeating: _ListArena<Item>.List(), count: 5)
            var reference = Array(repeating: [Item](), count: 5)
            for step in 0 ..< 2_000 {
                let which = Int.random(in: 0 ..< lists.count, using: &generator)
                switch Int.random(in: 0 ..< 10, using: &generator) {
                case 0:
                    // Drop a list whole.
                    arena.release(&lists[which], refs: &pool) { $0.ref }
                    reference[which] = []
                case 1 where !reference[which].isEmpty:
                    let index = Int.random(in: 0 ..< reference[which].count, using: &generator)
                    pool.release(reference[which].remove(at: index).ref)
                    arena.remove(at: index, from: &lists[which])
                default:
                    let item = Item(value: step, ref: pool.store(batch: batch, row: step % batch.count))
                    arena.append(item, to: &lists[which], keeping: limit, refs: &pool) { $0.ref }
                    reference[which].append(item)
                    // The bounded append released what it dropped; the reference only forgets it.
                    reference[which] = Array(reference[which].suffix(limit))
                }
                #expect(Self.contents(lists[which], in: arena) == reference[which])
            }
            for index in lists.indices { #expect(Self.contents(lists[index], in: arena) == reference[index]) }
            #expect(pool.count == reference.reduce(0) { $0 + $1.count })
            // Storage stays at what lists of `limit` elements need: no block of twice the limit.
            #expect(arena.storage.count <= lists.count * 2 * Swift.max(1, limit.nextPowerOfTwo))
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
