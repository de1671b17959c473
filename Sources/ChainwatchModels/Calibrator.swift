/// Turns a model's raw score into "the fraction of reference scores at or below it", and a budget into a
/// score threshold, from a ``QuantileSketch`` of observed scores.
///
/// Contract: `calibrated(s)` ∈ [0, 1] is monotone in `s`; `threshold(forBudget: b)` is the score at
/// quantile `1 − b`, so on data like the observed stream about a fraction `b` of scores exceed it. Queries see
/// observations up to the last ``flush()`` (automatic every 4,096 observations) — call it after a batch of
/// observations. Calibration cost per score: one binary search over ≈ 1,000 centroids.
public struct Calibrator: Sendable, Equatable {
    public private(set) var sketch: QuantileSketch

    public init(compression: Double = 200) { sketch = QuantileSketch(compression: compression) }

    public init(sketch: QuantileSketch) {
        var sketch = sketch
        sketch.compress()
        self.sketch = sketch
    }

    public mutating func observe(_ score: Float) { sketch.add(Double(score)) }

    public mutating func observe(_ score: Double) { sketch.add(score) }

    public mutating func observe(contentsOf scores: some Sequence<Float>) {
        for s in scores { sketch.add(Double(s)) }
        sketch.compress()
    }

    public mutating func flush() { sketch.compress() }

    /// Pools another calibrator's observations (e.g. from another shard).
    public mutating func merge(_ other: Calibrator) { sketch.merge(other.sketch) }

    /// Number of observations folded in so far.
    public var observedCount: Int { Int(sketch.count.rounded()) }

    /// Estimated fraction of observed scores ≤ `score`.
    public func calibrated(_ score: Float) -> Double { sketch.cdf(Double(score)) }

    public func calibrated(_ score: Double) -> Double { sketch.cdf(score) }

    /// The score at quantile `q` of what has been observed (as of the last flush).
    public func quantile(_ q: Double) -> Double { sketch.quantile(q) }

    /// The score at quantile `1 − budget`: alert when a score is **above** it.
    public func threshold(forBudget budget: Double) -> Float {
        precondition(budget >= 0 && budget <= 1, "a budget is a fraction in [0, 1]")
        return Float(sketch.quantile(1 - budget))
    }
}
