extension BinaryMetrics {
    /// One point of a ROC (x = false-positive rate, y = true-positive rate) or PR (x = recall,
    /// y = precision) curve, with the score threshold that produces it (`score ≥ threshold` = flagged).
    public struct CurvePoint: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var threshold: Double
        public init(x: Double, y: Double, threshold: Double) {
            self.x = x
            self.y = y
            self.threshold = threshold
        }
    }

    /// The ROC curve at every distinct threshold, from (0, 0) to (1, 1), thinned to at most `maxPoints`.
    public static func rocCurve(scores: [Double], labels: [Bool], maxPoints: Int = 200) -> [CurvePoint] {
        rocCurve(Ranked(scores: scores), labels: labels, maxPoints: maxPoints)
    }

    public static func rocCurve(_ ranked: Ranked, labels: [Bool], maxPoints: Int = 200) -> [CurvePoint] {
        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return [] }
        var points = [CurvePoint(x: 0, y: 0, threshold: .infinity)]
        walk(ranked, labels: labels) { tp, fp, threshold in
            points.append(CurvePoint(x: Double(fp) / Double(negatives), y: Double(tp) / Double(positives), threshold: threshold))
        }
        return downsampled(points, to: maxPoints)
    }

    /// The precision–recall curve at every distinct threshold, starting at (recall 0, precision 1) as
    /// scikit-learn does, thinned to at most `maxPoints`.
    public static func precisionRecallCurve(scores: [Double], labels: [Bool], maxPoints: Int = 200) -> [CurvePoint] {
        precisionRecallCurve(Ranked(scores: scores), labels: labels, maxPoints: maxPoints)
    }

    public static func precisionRecallCurve(_ ranked: Ranked, labels: [Bool], maxPoints: Int = 200) -> [CurvePoint] {
        let positives = labels.lazy.filter { $0 }.count
        guard positives > 0 else { return [] }
        var points = [CurvePoint(x: 0, y: 1, threshold: .infinity)]
        walk(ranked, labels: labels) { tp, fp, threshold in
            points.append(CurvePoint(x: Double(tp) / Double(positives), y: Double(tp) / Double(tp + fp), threshold: threshold))
        }
        return downsampled(points, to: maxPoints)
    }

    /// Calls `body(truePositives, falsePositives, threshold)` once per tie group, highest score first.
    static func walk(_ ranked: Ranked, labels: [Bool], _ body: (Int, Int, Double) -> Void) {
        precondition(ranked.count == labels.count, "scores and labels differ in length")
        var tp = 0, fp = 0
        for (index, group) in ranked.groups.enumerated() {
            for position in group { if labels[ranked.order[position]] { tp += 1 } else { fp += 1 } }
            body(tp, fp, ranked.groupScores[index])
        }
    }

    /// Keeps the first and last points and evenly spaced ones between (for plotting only; the AUC values
    /// are always computed on the full curve).
    static func downsampled(_ points: [CurvePoint], to maxPoints: Int) -> [CurvePoint] {
        guard points.count > maxPoints, maxPoints >= 2 else { return points }
        let step = Double(points.count - 1) / Double(maxPoints - 1)
        return (0 ..< maxPoints).map { points[Int((Double($0) * step).rounded())] }
    }
}
