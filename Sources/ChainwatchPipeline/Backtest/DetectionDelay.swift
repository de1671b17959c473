import ChainwatchCore

/// How long known-bad addresses act before a detector notices them.
///
/// For each tracked address that takes part (as sender or receiver) in at least one labelled-positive
/// transaction: the delay, in blocks, runs from the block of its first positive transaction in the
/// stream to the block of the first alerted transaction involving it at or after that block (0 = caught
/// in the same block). Alerts on its earlier, benign activity do not count: they did not see the bad act.
/// Addresses never alerted on from then on are "undetected"; tracked addresses without a positive
/// transaction in the stream are not counted at all.
public struct DetectionDelay: Sendable, Equatable {
    /// Tracked addresses alerted on at or after their first positive transaction.
    public var detected: Int
    /// Tracked addresses with a positive transaction but no alert from then on.
    public var undetected: Int
    /// Delays in blocks over detected addresses; `nil` when none was detected.
    public var medianBlocks: Double?
    public var meanBlocks: Double?
    public var maxBlocks: Int64?

    public init(detected: Int, undetected: Int, medianBlocks: Double?, meanBlocks: Double?, maxBlocks: Int64?) {
        self.detected = detected
        self.undetected = undetected
        self.medianBlocks = medianBlocks
        self.meanBlocks = meanBlocks
        self.maxBlocks = maxBlocks
    }

    /// Measures the delay over rows (any order: only block numbers are compared).
    ///
    /// - Parameters:
    ///   - addresses: lowercased addresses to track.
    ///   - to: `nil` or empty for a contract creation.
    /// - Complexity: O(n) dictionary lookups.
    public init(blockNumbers: [Int64], from: [String], to: [String?], positives: [Bool], alerted: [Bool], addresses: Set<String>) {
        let count = blockNumbers.count
        precondition(from.count == count && to.count == count && positives.count == count && alerted.count == count, "columns differ in length")
        var firstSeen: [String: Int64] = [:]
        for row in 0 ..< count where positives[row] {
            for address in [from[row], to[row] ?? ""] where !address.isEmpty && addresses.contains(address) {
                firstSeen[address] = min(firstSeen[address] ?? blockNumbers[row], blockNumbers[row])
            }
        }
        var firstAlert: [String: Int64] = [:]
        for row in 0 ..< count where alerted[row] {
            let block = blockNumbers[row]
            for address in [from[row], to[row] ?? ""] {
                guard let start = firstSeen[address], block >= start else { continue }
                firstAlert[address] = min(firstAlert[address] ?? block, block)
            }
        }
        let delays = firstAlert.map { $0.value - firstSeen[$0.key]! }.sorted()
        detected = delays.count
        undetected = firstSeen.count - delays.count
        maxBlocks = delays.last
        if delays.isEmpty {
            medianBlocks = nil
            meanBlocks = nil
        } else {
            let middle = delays.count / 2
            medianBlocks = delays.count % 2 == 1 ? Double(delays[middle]) : Double(delays[middle - 1] + delays[middle]) / 2
            meanBlocks = Double(delays.reduce(0, +)) / Double(delays.count)
        }
    }

    /// The delay for a score table's alert set, `positives[i]` being the ground truth of row `i`.
    public init(table: ScoreTable, positives: [Bool], addresses: Set<String>) {
        let to = table.to
        self.init(
            blockNumbers: table.blockNumber, from: (0 ..< table.count).map { table.from[$0] },
            to: (0 ..< table.count).map { to[$0].isEmpty ? nil : to[$0] }, positives: positives, alerted: table.alerted,
            addresses: addresses
        )
    }
}
