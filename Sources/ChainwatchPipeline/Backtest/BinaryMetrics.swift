/// Ranking metrics for a binary ground truth: pure functions over `scores` (higher = more anomalous) and
/// `labels` (`true` = positive), deterministic and independent of input order.
///
/// Ties are never broken by position: tied scores form one group that enters a ranking all at once.
/// NaN scores rank below every number. Every function returns `nil` when the metric is undefined (no
/// positives, or for ROC-AUC no negatives) rather than a made-up 0.5.
public enum BinaryMetrics {
    /// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
    /// scores above a random negative, a tie counting ½.
    ///
    ///     BinaryMetrics.rocAUC(scores: [0.9, 0.8, 0.8, 0.3], labels: [true, false, true, false])   // 0.875
    ///
    /// - Complexity: O(n log n) (one sort; ties get their mid-rank).
    public static func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
        rocAUC(Ranked(scores: scores), labels: labels)
    }

    /// ``rocAUC(scores:labels:)`` over scores already ranked (one sort shared by several metrics).
    public static func rocAUC(_ ranked: Ranked, labels: [Bool]) -> Double? {
        precondition(ranked.count == labels.count, "scores and labels differ in length")
        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        // Walk from the highest score down: each positive beats every negative below its group and ties ½
        // with the negatives inside its group.
        let order = ranked.order
        var negativesBelow = Double(negatives)
        var wins = 0.0
        for group in ranked.groups {
            var groupPositives = 0.0, groupNegatives = 0.0
            for position in group { if labels[order[position]] { groupPositives += 1 } else { groupNegatives += 1 } }
            negativesBelow -= groupNegatives
            wins += groupPositives * (negativesBelow + groupNegatives / 2)
        }
        return wins / (Double(positives) * Double(negatives))
    }

    /// Average precision, scikit-learn's definition (`average_precision_score`): the sum over distinct
    /// score thresholds, from the highest down, of the recall gained at that threshold times the precision
    /// at it, AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ. Tied scores are one threshold; no interpolation.
    ///
    /// - Complexity: O(n log n).
    public static func averagePrecision(scores: [Double], labels: [Bool]) -> Double? {
        averagePrecision(Ranked(scores: scores), labels: labels)
    }

    /// ``averagePrecision(scores:labels:)`` over scores already ranked.
    public static func averagePrecision(_ ranked: Ranked, labels: [Bool]) -> Double? {
        precondition(ranked.count == labels.count, "scores and labels differ in length")
        let positives = labels.lazy.filter { $0 }.count
        guard positives > 0 else { return nil }
        let order = ranked.order
        var truePositives = 0, taken = 0
        var previousRecall = 0.0, sum = 0.0
        for group in ranked.groups {
            for position in group where labels[order[position]] { truePositives += 1 }
            taken += group.count
            let recall = Double(truePositives) / Double(positives)
            sum += (recall - previousRecall) * Double(truePositives) / Double(taken)
            previousRecall = recall
        }
        return sum
    }

    /// Precision among the `k` highest scores. When the k-th place falls inside a group of tied scores,
    /// that group contributes its share of positives pro rata (the expectation over tie orders), so the
    /// result does not depend on row order. `k` larger than the row count is clamped.
    public static func precision(atK k: Int, scores: [Double], labels: [Bool]) -> Double? {
        precision(atK: k, Ranked(scores: scores), labels: labels)
    }

    /// ``precision(atK:scores:labels:)`` over scores already ranked.
    public static func precision(atK k: Int, _ ranked: Ranked, labels: [Bool]) -> Double? {
        precondition(ranked.count == labels.count, "scores and labels differ in length")
        let k = min(k, ranked.count)
        guard k > 0 else { return nil }
        let order = ranked.order
        var hits = 0.0
        for group in ranked.groups where group.lowerBound < k {
            let groupPositives = group.lazy.filter { labels[order[$0]] }.count
            let takenFromGroup = min(group.upperBound, k) - group.lowerBound
            hits += Double(groupPositives) * Double(takenFromGroup) / Double(group.count)
        }
        return hits / Double(k)
    }

    /// Share of positives inside an alert set (`alerted[i]` = row i raised an alert).
    public static func recall(alerted: [Bool], labels: [Bool]) -> Double? {
        precondition(alerted.count == labels.count, "alerted and labels differ in length")
        let positives = labels.lazy.filter { $0 }.count
        guard positives > 0 else { return nil }
        return Double(zip(alerted, labels).lazy.filter { $0 && $1 }.count) / Double(positives)
    }

    /// Share of alerts that are positives.
    public static func precision(alerted: [Bool], labels: [Bool]) -> Double? {
        precondition(alerted.count == labels.count, "alerted and labels differ in length")
        let alerts = alerted.lazy.filter { $0 }.count
        guard alerts > 0 else { return nil }
        return Double(zip(alerted, labels).lazy.filter { $0 && $1 }.count) / Double(alerts)
    }

    /// Alerts per 1,000 transactions.
    public static func alertsPerThousand(alerts: Int, transactions: Int) -> Double? {
        transactions > 0 ? Double(alerts) * 1000 / Double(transactions) : nil
    }

    /// Alerts per day of block time: `alerts / ((last − first block timestamp) / 86,400 s)`. `nil` when the
    /// stream spans no time (one block), where a rate would be meaningless.
    public static func alertsPerDay(alerts: Int, firstBlockTime: Int64, lastBlockTime: Int64) -> Double? {
        let seconds = lastBlockTime - firstBlockTime
        return seconds > 0 ? Double(alerts) * 86_400 / Double(seconds) : nil
    }
}
