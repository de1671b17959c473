/// Counters and memory of a ``FeatureEngine``, for the run summary (`chainwatch run`, `chainwatch features`) and capacity planning.
public struct FeatureStatistics: Sendable, Equatable, Codable {
    /// Accounts currently held.
    public var trackedAccounts: Int
    /// Accounts evicted so far (least recently active, in bulk).
    public var evictions: Int
    /// Bytes of the account table plus per-account columns, as allocated, per tracked account.
    public var bytesPerAccount: Double
    /// Bytes of the global count-min sketches (independent of the number of accounts).
    public var sketchBytes: Int
    /// Transactions processed since the engine was made.
    public var rowsProcessed: Int
}

extension FeatureStatistics {
    /// A line for people: accounts held and evicted, and the memory per tracked account.
    public var summary: String {
        "accounts: \(trackedAccounts) tracked, \(evictions) evicted, \(Int(bytesPerAccount.rounded())) bytes per tracked account"
    }
}
