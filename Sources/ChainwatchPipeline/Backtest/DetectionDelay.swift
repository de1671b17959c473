import ChainwatchCore

/// How long known-bad addresses act before a detector notices them.
///
/// For each tracked address that appears in the stream (as sender or receiver): the delay is the block
/// number of the first alerted transaction involving it minus the block number of its first transaction
/// in the stream, in blocks (0 = caught in the block it first appeared). Addresses never alerted on are
/// "undetected". Tracked addresses that never appear are not counted at all.
public struct DetectionDelay: Sendable, Equatable {
    /// Tracked addresses seen in the stream with at least one alert on them.
    public var detected: Int
    /// Tracked addresses seen in the stream and never alerted on.
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

    /// Measures the delay over rows in event order (`blockNumbers` non-decreasing is not required).
    ///
    /// - Parameters:
    ///   - addresses: lowercased addresses to track.
    ///   - to: `nil` or empty for a contract creation.
    /// - Complexity: O(n) dictionary lookups.
    public init(blockNumbers: [Int64], from: [String], to: [String?], alerted: [Bool], addresses: Set<String>) {
        precondition(blockNumbers.count == from.count && from.count == to.count && to.count == alerted.count, "columns differ in length")
        var firstSeen: [String: Int64] = [:]
        var firstAlert: [String: Int64] = [:]
        for row in blockNumbers.indices {
            let block = blockNumbers[row]
            for address in [from[row], to[row] ?? ""] where !address.isEmpty && addresses.contains(address) {
                firstSeen[address] = min(firstSeen[address] ?? block, block)
                if alerted[row] { firstAlert[address] = min(firstAlert[address] ?? block, block) }
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

    /// The delay for a score table's alert set.
    public init(table: ScoreTable, addresses: Set<String>) {
        let to = table.to
        self.init(
            blockNumbers: table.blockNumber, from: (0 ..< table.count).map { table.from[$0] },
            to: (0 ..< table.count).map { to[$0].isEmpty ? nil : to[$0] }, alerted: table.alerted, addresses: addresses
        )
    }
}
