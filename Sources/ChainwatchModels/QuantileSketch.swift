/// A merging t-digest (Dunning & Ertl, "Computing Extremely Accurate Quantiles Using t-Digests", 2019):
/// a sorted list of centroids (mean, weight) whose sizes shrink toward both tails.
///
/// Why this sketch: alert budgets live in the far tail (q = 0.999), where a rank-error sketch such as KLL
/// would be off by ±1 % of n — ten times the budget. Here a merged centroid may hold at most
/// `4 · n · q(1 − q) / δ` observations (the original t-digest size bound, taken at whichever end of the
/// merged span is nearer a tail), so the outermost ≈ δ/2 observations at each end stay singletons and the
/// relative rank error near q is O(q(1−q)·4/δ). Deterministic (no randomness), mergeable (``merge(_:)``),
/// and serializable as its centroid arrays. Memory ≈ δ/2 · ln(n) centroids (≈ 1,000 for δ = 200, n = 10⁶).
///
/// The CDF is piecewise linear through `(minimum, 0)`, `(mean_i, W_<i + w_i/2)`, `(maximum, n)`, and
/// ``quantile(_:)`` is its inverse, so `cdf(quantile(q)) ≈ q`. New values are buffered and folded in by
/// ``compress()``, automatically every 4,096 values; **queries read the centroids as of the last compress**.
public struct QuantileSketch: Sendable, Equatable {
    /// δ: larger keeps more, smaller centroids.
    public let compression: Double
    public private(set) var means: [Double] = []
    public private(set) var weights: [Double] = []
    public private(set) var minimum: Double = .infinity
    public private(set) var maximum: Double = -.infinity
    /// `W_<i + w_i/2` per centroid (derived; rebuilt by `compress`).
    private var midRanks: [Double] = []
    private var pendingMeans: [Double] = []
    private var pendingWeights: [Double] = []

    static let bufferLimit = 4096

    public init(compression: Double = 200) {
        precondition(compression >= 10, "compression below 10 is meaningless")
        self.compression = compression
    }

    /// Restores a compressed sketch from its centroids (sorted by mean) and extremes.
    public init(compression: Double, means: [Double], weights: [Double], minimum: Double, maximum: Double) {
        precondition(means.count == weights.count, "centroid arrays disagree")
        self.compression = compression
        self.means = means
        self.weights = weights
        self.minimum = minimum
        self.maximum = maximum
        rebuildRanks()
    }

    /// Total weight folded into the centroids.
    public var count: Double { midRanks.isEmpty ? 0 : midRanks[midRanks.count - 1] + weights[weights.count - 1] / 2 }

    /// Adds one value (NaN is ignored; ±∞ are kept and only move the extremes).
    public mutating func add(_ value: Double, weight: Double = 1) {
        guard !value.isNaN, weight > 0 else { return }
        pendingMeans.append(value)
        pendingWeights.append(weight)
        if pendingMeans.count >= QuantileSketch.bufferLimit { compress() }
    }

    /// Folds another sketch's centroids in (exact for the other's singletons).
    public mutating func merge(_ other: QuantileSketch) {
        var other = other
        other.compress()
        for k in other.means.indices { add(other.means[k], weight: other.weights[k]) }
        compress()
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Merges buffered values into the centroids. Cost O(b log b + c) for b buffered values, c centroids.
    public mutating func compress() {
        guard !pendingMeans.isEmpty else { return }
        let order = pendingMeans.indices.sorted { pendingMeans[$0] < pendingMeans[$1] }
        var items: [(mean: Double, weight: Double)] = []
        items.reserveCapacity(means.count + order.count)
        var a = 0, b = 0
        while a < means.count || b < order.count {
            if b == order.count || (a < means.count && means[a] <= pendingMeans[order[b]]) {
                items.append((means[a], weights[a])); a += 1
            } else {
                items.append((pendingMeans[order[b]], pendingWeights[order[b]])); b += 1
            }
        }
        for v in pendingMeans { minimum = Swift.min(minimum, v); maximum = Swift.max(maximum, v) }
        pendingMeans.removeAll(keepingCapacity: true)
        pendingWeights.removeAll(keepingCapacity: true)

        let total = items.reduce(0) { $0 + $1.weight }
        var newMeans: [Double] = [], newWeights: [Double] = []
        var current = items[0]
        var before = 0.0
        for item in items.dropFirst() {
            let merged = current.weight + item.weight
            let q0 = before / total, q1 = (before + merged) / total
            let limit = 4 * total * Swift.min(q0 * (1 - q0), q1 * (1 - q1)) / compression
            if merged <= limit && current.mean.isFinite && item.mean.isFinite {
                current.mean += (item.mean - current.mean) * item.weight / merged
                current.weight = merged
            } else {
                newMeans.append(current.mean); newWeights.append(current.weight)
                before += current.weight
                current = item
            }
        }
        newMeans.append(current.mean); newWeights.append(current.weight)
        means = newMeans
        weights = newWeights
        rebuildRanks()
    }

    private mutating func rebuildRanks() {
        midRanks = []
        midRanks.reserveCapacity(means.count)
        var before = 0.0
        for w in weights { midRanks.append(before + w / 2); before += w }
    }

    /// Estimated fraction of values ≤ `value`, in [0, 1]; 0 for an empty sketch. Monotone in `value`.
    /// Cost: one binary search over the centroids.
    public func cdf(_ value: Double) -> Double {
        guard !means.isEmpty, !value.isNaN else { return 0 }
        let n = count
        if value < minimum { return 0 }
        if value >= maximum { return 1 }
        let i = QuantileSketch.countAtOrBelow(value, in: means) - 1     // last centroid with mean ≤ value
        let (x0, r0): (Double, Double) = i < 0 ? (minimum, 0) : (means[i], midRanks[i])
        let (x1, r1): (Double, Double) = i + 1 < means.count ? (means[i + 1], midRanks[i + 1]) : (maximum, n)
        let rank = x1 > x0 ? r0 + (r1 - r0) * (value - x0) / (x1 - x0) : r0
        return Swift.min(Swift.max(rank / n, 0), 1)
    }

    /// Number of elements of sorted `values` that are ≤ `value`: a binary search whose halving step is
    /// arithmetic (`base += half · [p[mid] ≤ value]`), so it runs without data-dependent branches.
    @inline(__always)
    static func countAtOrBelow(_ value: Double, in values: [Double]) -> Int {
        values.withUnsafeBufferPointer { p in
            guard var n = Optional(p.count), n > 0 else { return 0 }
            var base = 0
            while n > 1 {
                let half = n / 2
                base &+= half &* Int(unsafeBitCast(p[base &+ half] <= value, to: UInt8.self))
                n &-= half
            }
            return base &+ Int(unsafeBitCast(p[base] <= value, to: UInt8.self))
        }
    }

    /// The value with estimated fraction `q` of values at or below it (`q` clamped to [0, 1]).
    public func quantile(_ q: Double) -> Double {
        guard !means.isEmpty else { return .nan }
        let n = count
        let target = Swift.min(Swift.max(q, 0), 1) * n
        if target <= 0 { return minimum }
        if target >= n { return maximum }
        // First knot with rank ≥ target; knots are (minimum, 0), (mean_i, midRank_i), (maximum, n).
        var low = 0, high = means.count
        while low < high {
            let mid = (low + high) / 2
            if midRanks[mid] < target { low = mid + 1 } else { high = mid }
        }
        let (x0, r0): (Double, Double) = low == 0 ? (minimum, 0) : (means[low - 1], midRanks[low - 1])
        let (x1, r1): (Double, Double) = low < means.count ? (means[low], midRanks[low]) : (maximum, n)
        return r1 > r0 ? x0 + (x1 - x0) * (target - r0) / (r1 - r0) : x1
    }
}
