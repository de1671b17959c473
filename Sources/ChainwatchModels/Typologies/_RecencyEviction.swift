import ChainwatchCore

/// Bounded-state helpers shared by the typology detectors.
enum _RecencyEviction {
    /// The slots of `table` to drop to keep the `keep` most recently active entries, ties broken by key
    /// (the lower keys go), so the choice is deterministic.
    ///
    /// - Complexity: O(n) expected (a selection on the times) plus sorting the ties at the cut; called when
    ///   a table passes its cap, which then shrinks to half (see ``target(cap:)``), so the cost is amortized
    ///   over at least cap / 2 insertions.
    ///
    /// The table's entries are read once, into a dense array of times that the selection and the split
    /// work on (a table near its cap is several megabytes; its times alone are a fraction of that).
    static func doomedSlots<Key: _SlotKey & Comparable, Value>(
        _ table: _SlotTable<Key, Value>, keep: Int, lastActive: (Value) -> Int64
    ) -> [Int] {
        guard table.count > keep else { return [] }
        var live: [Int] = []
        var times: [Int64] = []
        live.reserveCapacity(table.count)
        times.reserveCapacity(table.count)
        for slot in 0 ..< table.slotCount where table.isLive[slot] {
            live.append(slot)
            times.append(lastActive(table[slot]))
        }
        guard keep > 0 else { return live }
        var scratch = times
        let threshold = select(&scratch, rank: times.count - keep)
        var newer = 0
        var doomed: [Int] = []
        var ties: [Int] = []
        doomed.reserveCapacity(times.count - keep)
        for (index, time) in times.enumerated() {
            if time < threshold {
                doomed.append(live[index])
            } else if time == threshold {
                ties.append(live[index])
            } else {
                newer += 1
            }
        }
        ties.sort { table.key($0) > table.key($1) }
        doomed += ties.dropFirst(keep - newer)
        return doomed
    }

    /// The live slots of `table` whose state `isExpired` selects.
    static func expiredSlots<Key: _SlotKey, Value>(_ table: _SlotTable<Key, Value>, isExpired: (Value) -> Bool) -> [Int] {
        var doomed: [Int] = []
        for slot in 0 ..< table.slotCount where table.isLive[slot] && isExpired(table[slot]) { doomed.append(slot) }
        return doomed
    }

    /// The element `values.sorted()[rank]` (expected O(n); `values` may be reordered).
    ///
    /// A large array is first narrowed with a sorted sample (Floyd–Rivest): two sample values that bracket
    /// the rank with a wide margin, one pass counting what lies below the bracket and keeping what lies in
    /// it, and a quickselect on that small remainder — about one pass where quickselect alone makes three
    /// or four. When the rank falls outside the bracket (rare) the plain quickselect runs instead.
    static func select(_ values: inout [Int64], rank: Int) -> Int64 {
        precondition(rank >= 0 && rank < values.count)
        if values.count >= 8_192, let value = selectInSampledBracket(values, rank: rank) { return value }
        return quickselect(&values, rank: rank)
    }

    private static func selectInSampledBracket(_ values: [Int64], rank: Int) -> Int64? {
        let sampleSize = 1_024, margin = 64
        var state: UInt64 = 0x2545_f491_4f6c_dd1d &+ UInt64(values.count)
        var sample: [Int64] = []
        sample.reserveCapacity(sampleSize)
        for _ in 0 ..< sampleSize {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            sample.append(values[Int(state % UInt64(values.count))])
        }
        sample.sort()
        let position = rank * sampleSize / values.count
        let low = sample[max(0, position - margin)], high = sample[min(sampleSize - 1, position + margin)]
        var below = 0
        var bracket: [Int64] = []
        bracket.reserveCapacity(values.count * (4 * margin) / sampleSize)
        for value in values {
            below &+= value < low ? 1 : 0
            if value >= low, value <= high { bracket.append(value) }
        }
        guard rank >= below, rank < below + bracket.count else { return nil }
        return quickselect(&bracket, rank: rank - below)
    }

    /// Three-way quickselect with pseudo-random pivots.
    private static func quickselect(_ values: inout [Int64], rank: Int) -> Int64 {
        var low = 0, high = values.count - 1
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15 &+ UInt64(values.count)
        while low < high {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let pivot = values[low + Int(state % UInt64(high - low + 1))]
            // Three-way partition: [low, lt) < pivot, [lt, i) == pivot, (gt, high] > pivot.
            var lt = low, i = low, gt = high
            while i <= gt {
                let value = values[i]
                if value < pivot {
                    values.swapAt(lt, i)
                    lt += 1
                    i += 1
                } else if value > pivot {
                    values.swapAt(i, gt)
                    gt -= 1
                } else {
                    i += 1
                }
            }
            if rank < lt {
                high = lt - 1
            } else if rank > gt {
                low = gt + 1
            } else {
                return pivot
            }
        }
        return values[low]
    }

    /// The size a table is shrunk to once it passes `cap`: half of it, so the selection and the rebuild run at
    /// most once per cap / 2 insertions.
    static func target(cap: Int) -> Int { max(1, cap / 2) }
}
