extension BinaryMetrics {
    /// Scores sorted once, highest first, and cut into groups of equal scores, so several metrics over
    /// the same scores share one O(n log n) sort.
    ///
    /// NaN ranks below every number (and NaNs tie with each other). Within a group, rows keep index order,
    /// but no metric looks at the order inside a group.
    public struct Ranked: Sendable {
        /// Row indices by descending score.
        public let order: [Int]
        /// Positions in ``order`` of each tie group, highest score first.
        public let groups: [Range<Int>]
        /// The score of each group.
        public let groupScores: [Double]
        public var count: Int { order.count }

        public init(scores: [Double]) {
            let order = scores.indices.sorted { a, b in
                let x = scores[a], y = scores[b]
                if x.isNaN != y.isNaN { return y.isNaN }
                if x.isNaN || x == y { return a < b }
                return x > y
            }
            var groups: [Range<Int>] = []
            var groupScores: [Double] = []
            var start = 0
            for position in 1 ... max(1, order.count) where !order.isEmpty {
                let ends = position == order.count || !Self.same(scores[order[position]], scores[order[start]])
                guard ends else { continue }
                groups.append(start ..< position)
                groupScores.append(scores[order[start]])
                start = position
            }
            self.order = order
            self.groups = groups
            self.groupScores = groupScores
        }

        static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
    }
}
