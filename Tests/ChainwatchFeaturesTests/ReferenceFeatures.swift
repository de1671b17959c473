import ChainwatchCore
import ChainwatchFeatures
import Foundation

/// A plain scalar reference of the feature catalogue, written for clarity rather than speed:
/// dictionaries keyed by `AccountKey`, `Double` everywhere, one `exp2` per half-life.
///
/// It shares only the two sketch types with the engine (`HyperLogLog`, `CountMinSketch`), which are
/// tested on their own against exact counts; account interning, decay, Welford statistics, pass-through,
/// gas and MIDAS scoring are independent code. No account cap (use a large `maxAccounts` to compare).
struct ReferenceFeatures {
    struct Stat { var count = 0.0, mean = 0.0, m2 = 0.0 }
    struct Account {
        var lastTime: Int64
        var firstSeen: Int64
        var stats: [[Stat]] // [side][lane]
        var flowIn = 0.0, flowOut = 0.0
        var txCount = [0, 0]
        var distinct: HyperLogLog
        var received: [(amount: Double, block: Int64)] = []
    }

    let config: FeatureConfiguration
    let lanes: [Double] // half-lives + history half-life last
    var accounts: [AccountKey: Account] = [:]
    var gasCount = 0.0, gasMean = 0.0, gasTime: Int64? = nil
    var current: [CountMinSketch], total: [CountMinSketch]
    var ticks = 0.0, lastBlock: Int64? = nil

    init(_ config: FeatureConfiguration) {
        self.config = config
        lanes = config.halfLives + [config.historyHalfLife]
        // One sketch per channel and clock (the engine interleaves them in one array).
        let sketch = CountMinSketch(width: config.sketchWidth, depth: config.sketchDepth)
        current = Array(repeating: sketch, count: 4)
        total = Array(repeating: sketch, count: 4)
    }

    func decay(_ elapsed: Double, lane: Int) -> Double { elapsed > 0 ? exp2(-elapsed / lanes[lane]) : 1 }

    /// Features of one transaction, then the state update.
    mutating func process(_ tx: Transaction) -> [Double] {
        // MIDAS ticks.
        if let last = lastBlock {
            if tx.blockNumber > last {
                let blocks = Double(tx.blockNumber - last)
                for c in 0 ..< 4 {
                    current[c].decay(by: pow(config.burstCurrentDecay, blocks))
                    total[c].decay(by: pow(config.burstTotalDecay, blocks))
                }
                let beta = pow(config.burstTotalDecay, blocks)
                ticks = ticks * beta + (1 - beta) / (1 - config.burstTotalDecay)
                lastBlock = tx.blockNumber
            }
        } else {
            lastBlock = tx.blockNumber
            ticks = 1
        }
        let hasTo = !tx.flags.contains(.contractCreation)
        let now = tx.blockTime
        for key in hasTo ? [tx.from, tx.to] : [tx.from] where accounts[key] == nil {
            accounts[key] = Account(
                lastTime: now, firstSeen: now,
                stats: [Array(repeating: Stat(), count: lanes.count), Array(repeating: Stat(), count: lanes.count)],
                distinct: HyperLogLog(registerCount: config.hyperLogLogRegisters))
        }
        let x = log1p(max(tx.amount, 0))
        var row: [Double] = []
        row += sideFeatures(tx.from, side: 0, x: x, now: now)
        row += hasTo ? sideFeatures(tx.to, side: 1, x: x, now: now)
                     : Array(repeating: 0, count: 3 * config.halfLives.count + 5)
        row.append(x)
        row.append(roundness(tx.valueRaw))
        row.append(belowThreshold(tx.amount))
        row.append(passThrough(tx))
        row.append(gas(Double(tx.gasPrice), now: now))
        row.append(hasTo ? 0 : 1)
        row.append(tx.flags.contains(.hasInput) ? 1 : 0)

        let (f, t) = (tx.from.mixedHash, tx.to.mixedHash)
        let edge = (f &* 0x9e37_79b9_7f4a_7c15) ^ ((t << 17) | (t >> 47)) ^ 0x2545_f491_4f6c_dd1d
        let salts: [UInt64] = [0, 0x51_7cc1_b727_220a, 0x2f_1c36_41d8_7a3b, 0x6a09_e667_f3bc_c909]
        let hashes = [edge, f, t, edge].enumerated().map { $1 ^ salts[$0] }
        let weights: [Double] = hasTo ? [1, 1, 1, Double(Float(x))] : [0, 1, 0, 0]
        let edgeTotal = hasTo ? Double(total[0].estimate(hashes[0])) : 1
        row.append(hasTo && edgeTotal == 0 ? 1 : 0)
        for c in 0 ..< 4 {
            guard weights[c] > 0 || (hasTo && c == 3) else { row.append(0); continue }
            let a = Double(current[c].estimate(hashes[c])) + weights[c]
            let s = Double(total[c].estimate(hashes[c])) + weights[c]
            let score = ticks > 1 && s > 0 ? (a - s / ticks) * (a - s / ticks) * ticks * ticks / (s * (ticks - 1)) : 0
            row.append(log1p(score))
        }

        // Updates.
        update(tx.from, side: 0, x: x, amount: tx.amount, now: now)
        if hasTo {
            accounts[tx.from]!.distinct.insert(hash: t)
            update(tx.to, side: 1, x: x, amount: tx.amount, now: now)
            accounts[tx.to]!.distinct.insert(hash: f)
            if tx.amount > 0 {
                accounts[tx.to]!.received.insert((tx.amount, tx.blockNumber), at: 0)
                if accounts[tx.to]!.received.count > 2 { accounts[tx.to]!.received.removeLast() }
            }
        }
        for c in 0 ..< 4 where weights[c] > 0 {
            current[c].add(hashes[c], weight: Float(weights[c]))
            total[c].add(hashes[c], weight: Float(weights[c]))
        }
        return row
    }

    func sideFeatures(_ key: AccountKey, side: Int, x: Double, now: Int64) -> [Double] {
        let account = accounts[key]!
        let elapsed = Double(max(0, now - account.lastTime))
        var out: [Double] = []
        func std(_ s: Stat) -> Double { s.count > 0 && s.m2 > 0 ? (s.m2 / s.count).squareRoot() : 0 }
        for lane in config.halfLives.indices {
            let s = account.stats[side][lane]
            let decayed = s.count * decay(elapsed, lane: lane)
            let weight = decayed / (decayed + 1e-4)
            out += [log1p(decayed), s.mean * weight, std(s) * weight]
        }
        let history = account.stats[side][lanes.count - 1]
        let z = account.txCount[side] >= 3 ? min(50, max(-50, (x - history.mean) / max(std(history), 0.05))) : 0
        let d = decay(elapsed, lane: lanes.count - 1)
        out += [z, log1p(elapsed), log1p(account.flowIn * d) - log1p(account.flowOut * d),
                log1p(Double(Float(account.distinct.estimate))), log1p(Double(now - account.firstSeen))]
        return out
    }

    mutating func update(_ key: AccountKey, side: Int, x: Double, amount: Double, now: Int64) {
        var account = accounts[key]!
        let elapsed = Double(max(0, now - account.lastTime))
        for s in 0 ..< 2 {
            for lane in lanes.indices {
                account.stats[s][lane].count *= decay(elapsed, lane: lane)
                account.stats[s][lane].m2 *= decay(elapsed, lane: lane)
            }
        }
        let d = decay(elapsed, lane: lanes.count - 1)
        account.flowIn *= d
        account.flowOut *= d
        for lane in lanes.indices {
            var s = account.stats[side][lane]
            let oldMean = s.mean
            s.count += 1
            s.mean += (x - oldMean) / s.count
            s.m2 += (x - oldMean) * (x - s.mean)
            account.stats[side][lane] = s
        }
        if side == 0 { account.flowOut += max(amount, 0) } else { account.flowIn += max(amount, 0) }
        account.txCount[side] += 1
        account.lastTime = max(account.lastTime, now)
        accounts[key] = account
    }

    func roundness(_ wei: String) -> Double {
        let digits = wei.drop { $0 == "0" }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return 0 }
        let zeros = digits.reversed().prefix { $0 == "0" }.count
        return Double(Float(zeros) / Float(digits.count))
    }

    func belowThreshold(_ amount: Double) -> Double {
        for k in 0 ... 30 {
            let power = pow(10.0, Double(k))
            if amount < power { return amount >= (1 - config.thresholdBand) * power ? 1 : 0 }
        }
        return 0
    }

    func passThrough(_ tx: Transaction) -> Double {
        guard tx.amount > 0 else { return 0 }
        var best = 0.0
        for received in accounts[tx.from]!.received where tx.blockNumber - received.block <= Int64(config.passThroughBlocks) {
            let r = abs(received.amount - tx.amount) / tx.amount
            if r < config.passThroughTolerance { best = max(best, 1 - r / config.passThroughTolerance) }
        }
        return best
    }

    mutating func gas(_ price: Double, now: Int64) -> Double {
        let feature = gasCount > 0 ? log1p(max(price, 0)) - log1p(max(gasMean, 0)) : 0
        if let last = gasTime, now > last { gasCount *= exp2(-Double(now - last) / config.gasHalfLife) }
        gasTime = max(gasTime ?? now, now)
        gasCount += 1
        gasMean += (price - gasMean) / gasCount
        return feature
    }
}
