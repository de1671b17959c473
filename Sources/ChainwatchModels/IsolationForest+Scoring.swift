import ChainwatchCore

extension IsolationForest {
    /// Scores every row of `data` into `scores` (resized to `data.rows`; capacity is kept between batches).
    ///
    /// Axis-parallel forests use an 8-row interleaved walk: for each tree, eight independent root-to-bottom
    /// walks advance one level per step, so eight cache misses are in flight at once instead of one — the
    /// interleaving, not the layout, is what pays (MACHINE-FACTS "Scoring and state kernels"). Every walk is
    /// exactly `heightLimit` steps (pass-through slots), so there is no per-lane exit branch. Path lengths are
    /// accumulated per row in `Double` in tree order, the same order as ``score(row:)``, so both paths agree
    /// bit for bit. Extended forests walk one row at a time (each step is a d-long dot product).
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, forest expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        var totals = [Double](repeating: 0, count: data.rows)
        data.values.withUnsafeBufferPointer { values in
            totals.withUnsafeMutableBufferPointer { totals in
                if extended {
                    for r in 0 ..< data.rows {
                        let row = UnsafeBufferPointer(rebasing: values[r * dimensions ..< (r + 1) * dimensions])
                        var total: Double = 0
                        for tree in 0 ..< treeCount { total += Double(pathLength(row: row, tree: tree)) }
                        totals[r] = total
                    }
                } else {
                    _walkAxisParallel(values: values, rows: data.rows, totals: totals)
                }
            }
        }
        let trees = Double(treeCount)
        for r in 0 ..< data.rows { scores[r] = score(meanPathLength: totals[r] / trees) }
    }

    /// Adds each row's path length in every tree to `totals[row]`, eight rows at a time plus a scalar tail.
    private func _walkAxisParallel(values: UnsafeBufferPointer<Float>, rows: Int,
                                   totals: UnsafeMutableBufferPointer<Double>) {
        feature.withUnsafeBufferPointer { featureBuffer in
        threshold.withUnsafeBufferPointer { thresholdBuffer in
        leafPathLength.withUnsafeBufferPointer { leafBuffer in
            let f = featureBuffer.baseAddress!, t = thresholdBuffer.baseAddress!, leaf = leafBuffer.baseAddress!
            let x = values.baseAddress!
            let d = dimensions, height = heightLimit
            let internalSlots = internalSlotsPerTree, bottomSlots = bottomSlotsPerTree
            var start = 0
            while start + 8 <= rows {
                let x0 = x + start * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d
                let x4 = x3 + d, x5 = x4 + d, x6 = x5 + d, x7 = x6 + d
                var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0
                for tree in 0 ..< treeCount {
                    let tf = f + tree * internalSlots, tt = t + tree * internalSlots
                    var s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0
                    for _ in 0 ..< height {
                        s0 = 2 &* s0 &+ (x0[Int(tf[s0])] >= tt[s0] ? 2 : 1)
                        s1 = 2 &* s1 &+ (x1[Int(tf[s1])] >= tt[s1] ? 2 : 1)
                        s2 = 2 &* s2 &+ (x2[Int(tf[s2])] >= tt[s2] ? 2 : 1)
                        s3 = 2 &* s3 &+ (x3[Int(tf[s3])] >= tt[s3] ? 2 : 1)
                        s4 = 2 &* s4 &+ (x4[Int(tf[s4])] >= tt[s4] ? 2 : 1)
                        s5 = 2 &* s5 &+ (x5[Int(tf[s5])] >= tt[s5] ? 2 : 1)
                        s6 = 2 &* s6 &+ (x6[Int(tf[s6])] >= tt[s6] ? 2 : 1)
                        s7 = 2 &* s7 &+ (x7[Int(tf[s7])] >= tt[s7] ? 2 : 1)
                    }
                    let tl = leaf + tree * bottomSlots - internalSlots
                    a0 += Double(tl[s0]); a1 += Double(tl[s1]); a2 += Double(tl[s2]); a3 += Double(tl[s3])
                    a4 += Double(tl[s4]); a5 += Double(tl[s5]); a6 += Double(tl[s6]); a7 += Double(tl[s7])
                }
                totals[start] = a0; totals[start + 1] = a1; totals[start + 2] = a2; totals[start + 3] = a3
                totals[start + 4] = a4; totals[start + 5] = a5; totals[start + 6] = a6; totals[start + 7] = a7
                start += 8
            }
            for r in start ..< rows {
                let xr = x + r * d
                var total = 0.0
                for tree in 0 ..< treeCount {
                    let tf = f + tree * internalSlots, tt = t + tree * internalSlots
                    var s = 0
                    for _ in 0 ..< height { s = 2 &* s &+ (xr[Int(tf[s])] >= tt[s] ? 2 : 1) }
                    total += Double(leaf[tree * bottomSlots - internalSlots + s])
                }
                totals[r] = total
            }
        }
        }
        }
    }
}
