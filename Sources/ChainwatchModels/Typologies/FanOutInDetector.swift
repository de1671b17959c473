import ChainwatchCore

/// ``FanOutDetector`` and ``FanInDetector`` in one pass over each batch, raising exactly the alerts the two
/// raise apart (`detector` = `fan_out` or `fan_in`; a row's fan-out alert first).
///
/// Whether a transfer `A → B` is new to `A`'s payees and whether it is new to `B`'s payers is one question
/// — did `A` pay `B` within the novelty window? — so the two share one pair memory and ask it once per
/// transfer, and each batch is read once. ``TypologySuite`` runs them this way whenever both are enabled and
/// their settings allow it (``FanConfiguration/sharesPairMemory(with:)``).
///
/// Memory: senders + pairs ≤ `maxTracked` and receivers + pairs ≤ `maxTracked`, the pairs held once.
public struct FanOutInDetector: Detector, Sendable {
    public let name = "fan_out+fan_in"
    public let fanOut: FanConfiguration
    public let fanIn: FanConfiguration
    private var detection: _FanDetection

    /// `nil` when the two settings cannot share a pair memory.
    public init?(fanOut: FanConfiguration = .init(), fanIn: FanConfiguration = .init()) {
        guard fanOut.sharesPairMemory(with: fanIn) else { return nil }
        self.fanOut = fanOut
        self.fanIn = fanIn
        detection = _FanDetection(outgoing: fanOut, incoming: fanIn)
    }

    /// Senders, receivers and pairs currently held in memory.
    public var trackedEntries: Int { detection.trackedEntries }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        detection.process(input, alerts: &alerts)
    }
}
