extension IsolationForest {
    /// Per-feature credit for why `row` is isolated; non-negative, sums to 1 (all zero for an empty forest).
    ///
    /// Rule: in each tree, the row's path has splits at depths 0 … D−1 and path length `h = D + c(leaf size)`.
    /// The tree carries weight `1/h` (short paths are strong evidence), given to the split that produced the
    /// leaf in full and halved for each step toward the root (`w_j = 2^−(D−1−j) / h`): the last split is the one
    /// that separated the row from the rest, earlier ones only narrowed the region. An axis-parallel split
    /// credits its feature; an extended (hyperplane) split spreads its weight over features in proportion to
    /// `|n_f · x_f|`. `row` is in the forest's feature space (standardized in a ``ModelBundle``).
    /// Cost: one scalar walk per tree — for explanations, not for scoring every row.
    public func attribution(row: [Float]) -> [Float] {
        precondition(row.count == dimensions, "row has \(row.count) values, forest expects \(dimensions)")
        var credit = [Double](repeating: 0, count: dimensions)
        row.withUnsafeBufferPointer { buffer in
            for tree in 0 ..< treeCount {
                let base = tree * internalSlotsPerTree
                var slot = 0
                var path: [Int] = []                           // internal slots that really split
                for _ in 0 ..< heightLimit {
                    let index = base + slot
                    if threshold[index] != .infinity { path.append(index) }
                    slot = 2 * slot + (splitValue(row: buffer, slot: index) >= threshold[index] ? 2 : 1)
                }
                let h = Double(leafPathLength[tree * bottomSlotsPerTree + slot - internalSlotsPerTree])
                guard h > 0 else { continue }
                var weight = 1 / h
                for index in path.reversed() {
                    if extended {
                        var parts = [Double](repeating: 0, count: dimensions)
                        var sum = 0.0
                        for j in 0 ..< dimensions {
                            parts[j] = abs(Double(normals[index * dimensions + j]) * Double(buffer[j]))
                            sum += parts[j]
                        }
                        if sum > 0 { for j in 0 ..< dimensions { credit[j] += weight * parts[j] / sum } }
                    } else {
                        credit[Int(feature[index])] += weight
                    }
                    weight /= 2
                }
            }
        }
        let total = credit.reduce(0, +)
        guard total > 0 else { return [Float](repeating: 0, count: dimensions) }
        return credit.map { Float($0 / total) }
    }
}
