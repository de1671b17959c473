import ChainwatchCore

/// Bounded-state helpers shared by the typology detectors.
enum _RecencyEviction {
    /// Keeps the `keep` most recently active entries of `table` (ties broken by key, so the choice is
    /// deterministic) and drops the rest.
    ///
    /// - Complexity: O(n log n) on the times only; called when a table passes its cap, and it then shrinks
    ///   the table to half (see ``target(cap:)``), so the cost is amortized over at least cap / 2 insertions.
    static func shrink<Key: Hashable & Comparable, Value>(
        _ table: inout [Key: Value], keep: Int, lastActive: (Value) -> Int64
    ) {
        guard table.count > keep else { return }
        guard keep > 0 else {
            table.removeAll(keepingCapacity: true)
            return
        }
        // Sort only the times (a primitive sort), then settle the ties at the cut by key.
        var times = table.values.map(lastActive)
        times.sort()
        let threshold = times[times.count - keep]
        let newer = times.count - (times.lastIndex { $0 <= threshold }.map { $0 + 1 } ?? 0)
        var doomed = table.compactMap { lastActive($0.value) < threshold ? $0.key : nil }
        let ties = table.compactMap { lastActive($0.value) == threshold ? $0.key : nil }.sorted(by: >)
        doomed += ties.dropFirst(keep - newer)
        // Removing in place keeps the table's capacity: no rehash now, and none while it refills.
        for key in doomed { table.removeValue(forKey: key) }
    }

    /// Removes the entries `isExpired` selects, in place (the table keeps its capacity).
    static func removeExpired<Key: Hashable, Value>(_ table: inout [Key: Value], isExpired: (Value) -> Bool) {
        let doomed = table.compactMap { isExpired($0.value) ? $0.key : nil }
        for key in doomed { table.removeValue(forKey: key) }
    }

    /// The size a table is shrunk to once it passes `cap`: half of it, so the O(n log n) rebuild runs at
    /// most once per cap / 2 insertions.
    static func target(cap: Int) -> Int { max(1, cap / 2) }
}
