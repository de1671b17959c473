import ChainwatchCore

/// Settings of ``FanOutDetector`` and ``FanInDetector``; the *hub* is the sender for fan-out and the
/// receiver for fan-in.
public struct FanConfiguration: Sendable, Codable, Equatable {
    /// New counterparties needed within the window.
    public var minCounterparties: Int = 10
    /// Window length in seconds of block time (one hour).
    public var windowSeconds: Int64 = 3_600
    /// A pair with a transfer in this many seconds of block time before is not new (seven days; 0 = only
    /// distinctness within the window counts).
    public var noveltySeconds: Int64 = 604_800
    /// Transfers below this many ETH are ignored (0 = every transfer, zero-value calls included).
    public var minAmount: Double = 0
    /// Cap on tracked hubs + pairs: the pair memory takes up to ¾ (a power of two), hubs the rest; the least
    /// recently active are dropped beyond them.
    public var maxTracked: Int = 100_000
    /// Cap on the transfers kept per hub inside one window.
    public var maxWindowEntries: Int = 1_000

    public init() {}
}

extension FanConfiguration {
    /// Whether fan-out with these settings and fan-in with `other` can share one pair memory (and run as
    /// one ``FanOutInDetector``): the same novelty window, minimum amount and cap, so the memory sees the
    /// same transfers and holds as many pairs for both.
    public func sharesPairMemory(with other: FanConfiguration) -> Bool {
        noveltySeconds == other.noveltySeconds && minAmount == other.minAmount && maxTracked == other.maxTracked
    }
}
