import ChainwatchCore
import Foundation

/// Flags a transfer whose amount is far outside its sender's own history.
///
/// For every sender we keep an exponentially decayed weight, mean and variance of `ln(1 + amount in ETH)`,
/// decayed in *block time* with ``Configuration/halfLifeSeconds``. A transaction with a positive amount is
/// scored `z = (x − mean) / max(std, minStd)` against the sender's history *before* it; it alerts when
/// the sender has at least ``Configuration/minHistory`` earlier positive-amount transactions and
/// `z ≥ threshold`. Every positive-amount transaction then updates its sender's history (alerting ones too:
/// an account that changes its habits stops alerting once the new level is its history).
///
/// Memory: one 64-byte record per sender, in a slot table looked up by the input's account hashes (a `Dictionary`
/// hashed each key twice per row with SipHash); at most ``Configuration/maxAccounts`` are kept, the least
/// recently active half being dropped when the cap is reached.
public struct AmountZScoreDetector: Detector {
    public struct Configuration: Sendable, Equatable, Codable {
        /// Alert when the z-score is at least this.
        public var threshold: Double = 4
        /// Earlier positive-amount transactions a sender needs before it can alert.
        public var minHistory: Int = 5
        /// Half-life of the history in block-time seconds (one day).
        public var halfLifeSeconds: Double = 86_400
        /// Floor on the standard deviation in log-amount units, so a sender that always sends the same amount
        /// does not alert on a 1 % change.
        public var minStd: Double = 0.25
        public var maxAccounts: Int = 1_000_000

        public init() {}
    }

    struct History {
        var weight: Double
        var mean: Double
        var variance: Double
        var count: Int
        var lastTime: Int64
    }

    public let name = "amount_zscore"
    public let configuration: Configuration
    private var histories = _SlotTable<AccountKey, History>()

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public var trackedAccounts: Int { histories.count }

    public mutating func process(_ input: DetectionInput, alerts: inout [Alert]) {
        let batch = input.batch
        let decayRate = M_LN2 / configuration.halfLifeSeconds
        for row in 0 ..< batch.count where batch.amount[row] > 0 {
            let sender = batch.from[row], hash = input.fromHashes[row]
            let time = batch.blockTime[row]
            let x = log1p(batch.amount[row])
            guard let slot = histories.find(sender, hash: hash) else {
                insert(sender, hash: hash, History(weight: 1, mean: x, variance: 0, count: 1, lastTime: time))
                continue
            }
            var history = histories[slot]
            let decay = exp(-decayRate * Double(max(0, time - history.lastTime)))
            let std = max(history.variance.squareRoot(), configuration.minStd)
            let z = (x - history.mean) / std
            if history.count >= configuration.minHistory, z >= configuration.threshold {
                alerts.append(alert(batch: batch, row: row, z: z, x: x, history: history, std: std))
            }
            // Decayed West-style update of weight, mean and variance.
            let weight = history.weight * decay + 1
            let delta = x - history.mean
            let mean = history.mean + delta / weight
            history.variance = (history.weight * decay * history.variance + delta * (x - mean)) / weight
            history.mean = mean
            history.weight = weight
            history.count += 1
            history.lastTime = time
            histories[slot] = history
        }
    }

    private mutating func insert(_ key: AccountKey, hash: UInt64, _ history: History) {
        if histories.count >= configuration.maxAccounts {
            // Keep the more recently active half; ties broken by key (the lower keys go), so the choice is
            // deterministic.
            let keep = configuration.maxAccounts / 2
            histories.remove(slots: _RecencyEviction.doomedSlots(histories, keep: keep) { $0.lastTime })
        }
        _ = histories.findOrInsert(key, hash: hash, value: history)
    }

    private func alert(batch: TxBatch, row: Int, z: Double, x: Double, history: History, std: Double) -> Alert {
        var reasons = JSONObjectWriter()
        reasons.add("rule", "amount far above the sender's own history")
        reasons.add("z", z)
        reasons.add("threshold", configuration.threshold)
        reasons.add("amount_eth", batch.amount[row])
        reasons.add("log_amount", x)
        reasons.add("sender_mean_log_amount", history.mean)
        reasons.add("sender_std_log_amount", std)
        reasons.add("sender_typical_amount_eth", expm1(history.mean))
        reasons.add("sender_history", history.count)
        reasons.add("half_life_s", configuration.halfLifeSeconds)
        return Alert(batch: batch, row: row, detector: name, score: z, reasons: reasons.finished())
    }
}
