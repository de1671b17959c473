import ChainwatchCore

extension IsolationForest {
    /// Scores every row of `data` into `scores` (resized to `data.rows`; capacity is kept between batches).
    ///
    /// Axis-parallel forests use an 8-row interleaved walk: for each tree, eight independent root-to-bottom
    /// walks advance one level per step, so eight cache misses are in flight at once instead of one — the
    /// interleaving, not the layout, is what pays (MACHINE-FACTS "Scoring and state kernels"). Every walk is
    /// exactly `heightLimit` steps (pass-through slots), so there is no per-lane exit branch. Path lengths are
    /// accumulated per row in `Double` in tree order, the same order as ``score(row:)``, so both paths agree
    /// bit for bit. Extended forests walk tree-major over chunks of 256 rows, four rows interleaved (each
    /// step is a d-long dot product). Measured (release, d = 40, 100 × 256, one thread, CPU time, machine
    /// shared): axis-parallel ≈ 1.55 M rows/s, extended ≈ 0.2 M rows/s.
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, forest expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        var totals = [Double](repeating: 0, count: data.rows)
        data.values.withUnsafeBufferPointer { values in
            totals.withUnsafeMutableBufferPointer { totals in
                if extended {
                    _walkExtended(values: values, rows: data.rows, totals: totals)
                } else {
                    _walkAxisParallel(values: values, rows: data.rows, totals: totals)
                }
            }
        }
        let trees = Double(treeCount), c = IsolationForest.averagePathLength(subsampleSize)
        for r in 0 ..< data.rows { scores[r] = IsolationForest.score(meanPathLength: totals[r] / trees, c: c) }
    }

    /// Extended forests: each step is a d-long ``hyperplaneDot(_:_:_:)``; trees are added in order per row.
    private func _walkExtended(values: UnsafeBufferPointer<Float>, rows: Int,
                               totals: UnsafeMutableBufferPointer<Double>) {
        normals.withUnsafeBufferPointer { normalBuffer in
        threshold.withUnsafeBufferPointer { thresholdBuffer in
        leafPathLength.withUnsafeBufferPointer { leafBuffer in
            let n = normalBuffer.baseAddress!, t = thresholdBuffer.baseAddress!, leaf = leafBuffer.baseAddress!
            let d = dimensions, internalSlots = internalSlotsPerTree, bottomSlots = bottomSlotsPerTree
            // Tree-major within chunks of 256 rows: one tree's normals (255 × d floats, 40 KB at d = 40) stay
            // in cache while the chunk walks it; row-major walking missed cache on nearly every node.
            var chunkStart = 0
            while chunkStart < rows {
                let chunkEnd = min(chunkStart + 256, rows)
                for r in chunkStart ..< chunkEnd { totals[r] = 0 }
                for tree in 0 ..< treeCount {
                    let base = tree * internalSlots
                    let tl = leaf + tree * bottomSlots - internalSlots
                    var r = chunkStart
                    while r + 4 <= chunkEnd {                  // four independent walks interleaved
                        let x0 = values.baseAddress! + r * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d
                        var s0 = 0, s1 = 0, s2 = 0, s3 = 0
                        for _ in 0 ..< heightLimit {
                            let v0 = IsolationForest.hyperplaneDot(n + (base + s0) * d, x0, d)
                            let v1 = IsolationForest.hyperplaneDot(n + (base + s1) * d, x1, d)
                            let v2 = IsolationForest.hyperplaneDot(n + (base + s2) * d, x2, d)
                            let v3 = IsolationForest.hyperplaneDot(n + (base + s3) * d, x3, d)
                            s0 = 2 &* s0 &+ 1 &+ _bit(v0 >= t[base + s0])
                            s1 = 2 &* s1 &+ 1 &+ _bit(v1 >= t[base + s1])
                            s2 = 2 &* s2 &+ 1 &+ _bit(v2 >= t[base + s2])
                            s3 = 2 &* s3 &+ 1 &+ _bit(v3 >= t[base + s3])
                        }
                        totals[r] += Double(tl[s0]); totals[r + 1] += Double(tl[s1])
                        totals[r + 2] += Double(tl[s2]); totals[r + 3] += Double(tl[s3])
                        r += 4
                    }
                    for r in r ..< chunkEnd {
                        let x = values.baseAddress! + r * d
                        var s = 0
                        for _ in 0 ..< heightLimit {
                            let value = IsolationForest.hyperplaneDot(n + (base + s) * d, x, d)
                            s = 2 &* s &+ 1 &+ _bit(value >= t[base + s])
                        }
                        totals[r] += Double(tl[s])
                    }
                }
                chunkStart = chunkEnd
            }
        }
        }
        }
    }

    /// 0 or 1 without a `select`: LLVM turns a select whose condition depends on a load into a branch
    /// (it did for one of the eight lanes), and a mispredicted branch per step costs more than the walk.
    @inline(__always)
    private func _bit(_ condition: Bool) -> Int { Int(unsafeBitCast(condition, to: UInt8.self)) }

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
            // Each 8-row block is transposed (block[f·8 + r] = row r's feature f) so one base pointer and
            // a constant lane offset address all eight rows: fewer live registers, and the compiler keeps
            // every lane's step branch-free (with eight row pointers it spilled and branched on one lane).
            let block = UnsafeMutablePointer<Float>.allocate(capacity: 8 * d)
            defer { block.deallocate() }
            var start = 0
            while start + 8 <= rows {
                for r in 0 ..< 8 {
                    let row = x + (start + r) * d
                    for j in 0 ..< d { block[j &* 8 &+ r] = row[j] }
                }
                var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0
                for tree in 0 ..< treeCount {
                    let tf = f + tree * internalSlots, tt = t + tree * internalSlots
                    var s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0
                    for _ in 0 ..< height {
                        s0 = 2 &* s0 &+ 1 &+ _bit(block[Int(tf[s0]) &* 8] >= tt[s0])
                        s1 = 2 &* s1 &+ 1 &+ _bit(block[Int(tf[s1]) &* 8 &+ 1] >= tt[s1])
                        s2 = 2 &* s2 &+ 1 &+ _bit(block[Int(tf[s2]) &* 8 &+ 2] >= tt[s2])
                        s3 = 2 &* s3 &+ 1 &+ _bit(block[Int(tf[s3]) &* 8 &+ 3] >= tt[s3])
                        s4 = 2 &* s4 &+ 1 &+ _bit(block[Int(tf[s4]) &* 8 &+ 4] >= tt[s4])
                        s5 = 2 &* s5 &+ 1 &+ _bit(block[Int(tf[s5]) &* 8 &+ 5] >= tt[s5])
                        s6 = 2 &* s6 &+ 1 &+ _bit(block[Int(tf[s6]) &* 8 &+ 6] >= tt[s6])
                        s7 = 2 &* s7 &+ 1 &+ _bit(block[Int(tf[s7]) &* 8 &+ 7] >= tt[s7])
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
                    for _ in 0 ..< height { s = 2 &* s &+ 1 &+ _bit(xr[Int(tf[s])] >= tt[s]) }
                    total += Double(leaf[tree * bottomSlots - internalSlots + s])
                }
                totals[r] = total
            }
        }
        }
        }
    }
}
