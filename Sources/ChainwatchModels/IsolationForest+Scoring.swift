import ChainwatchCore

extension IsolationForest {
    /// Scores every row of `data` into `scores` (resized to `data.rows`; capacity is kept between batches).
    ///
    /// Axis-parallel forests walk blocks of 64 rows tree-major (a tree's nodes stay in L1 while the block
    /// walks it), eight rows side by side, so eight dependent load chains are in flight at once. Every walk
    /// is exactly `heightLimit` steps (pass-through slots), so there is no per-lane exit branch. Path
    /// lengths are summed per row in `Double`, where the sums are exact, so the result has the same bits as
    /// ``score(row:)``. Extended forests walk tree-major over chunks of 256 rows, four rows interleaved (each
    /// step is a d-long dot product). Scratch lives on the stack (`_MatrixKernels.withScratch`): a call does
    /// not allocate for d ≤ 94 (axis-parallel; larger d takes one heap block per call) or any d (extended).
    /// Measured (release, d = 40, 100 × 256, one thread, best of 9, shared machine, same session):
    /// axis-parallel 1.19–1.25 → 1.75–1.76 M rows/s against the previous row-major 8-row kernel.
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, forest expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        let trees = Double(treeCount), c = IsolationForest.averagePathLength(subsampleSize)
        data.values.withUnsafeBufferPointer { values in
            scores.withUnsafeMutableBufferPointer { scores in
                if extended {
                    _walkExtended(values: values, rows: data.rows, scores: scores, trees: trees, c: c)
                } else {
                    _walkAxisParallel(values: values, rows: data.rows, scores: scores, trees: trees, c: c)
                }
            }
        }
    }

    /// Extended forests: each step is a d-long ``hyperplaneDot(_:_:_:)``; trees are added in order per row.
    private func _walkExtended(values: UnsafeBufferPointer<Float>, rows: Int,
                               scores: UnsafeMutableBufferPointer<Float>, trees: Double, c: Double) {
        _MatrixKernels.withScratch(bytes: 256 * MemoryLayout<Double>.stride) { raw in
        let chunkTotals = raw.bindMemory(to: Double.self, capacity: 256)
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
                let totals = chunkTotals - chunkStart          // indexed by row, valid on this chunk
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
                for r in chunkStart ..< chunkEnd {
                    scores[r] = IsolationForest.score(meanPathLength: totals[r] / trees, c: c)
                }
                chunkStart = chunkEnd
            }
        }
        }
        }
        }
    }

    /// 0 or 1 without a `select`: LLVM turns a select whose condition depends on a load into a branch
    /// (it did for one of the eight lanes), and a mispredicted branch per step costs more than the walk.
    @inline(__always)
    private func _bit(_ condition: Bool) -> Int { Int(unsafeBitCast(condition, to: UInt8.self)) }

    /// Rows per block of the axis-parallel walk: the block's rows (64 × 64 floats, 16 KB) and one tree
    /// (≈ 3 KB) stay in L1 while every row of the block walks that tree.
    private static var _blockRows: Int { 64 }

    /// Scores every row: blocks of 64 rows, tree-major inside a block, eight rows walked side by side.
    ///
    /// Walking all trees for 8 rows before moving on (the previous kernel) streams the whole forest
    /// (≈ 300 KB) through L1 for every 8 rows, so each step's node load came from L2. Tree-major over a
    /// 64-row block reuses each tree's nodes 64 times while they are in L1. Path lengths are summed in
    /// `Double`; every leaf length is a multiple of 2⁻²³ below 2⁵ and there are few trees, so the sums are
    /// exact and independent of order — the same bits as ``score(row:)``.
    private func _walkAxisParallel(values: UnsafeBufferPointer<Float>, rows: Int,
                                   scores: UnsafeMutableBufferPointer<Float>, trees: Double, c: Double) {
        // Rows are copied into the block with a compile-time row stride (64 floats when d ≤ 64), so lane r's
        // value is one load `[base + feature·4 + r·256]` — no shift, no per-lane base register.
        // ψ = 256 (height 8) is the default forest: a constant height unrolls the walk completely, which
        // frees the level counter's register and lets the eight walks be scheduled across levels.
        if dimensions <= 64 && heightLimit == 8 {
            _walkAxisParallel(values: values, rows: rows, scores: scores, trees: trees, c: c, stride: 64, height: 8)
        } else if dimensions <= 64 {
            _walkAxisParallel(values: values, rows: rows, scores: scores, trees: trees, c: c, stride: 64,
                              height: heightLimit)
        } else {
            _walkAxisParallel(values: values, rows: rows, scores: scores, trees: trees, c: c, stride: dimensions,
                              height: heightLimit)
        }
    }

    @inline(__always)
    private func _walkAxisParallel(values: UnsafeBufferPointer<Float>, rows: Int,
                                   scores: UnsafeMutableBufferPointer<Float>, trees: Double, c: Double,
                                   stride: Int, height: Int) {
        let d = dimensions
        let blockRows = IsolationForest._blockRows
        let accBytes = blockRows * MemoryLayout<Double>.stride
        _MatrixKernels.withScratch(bytes: accBytes + blockRows * stride * MemoryLayout<Float>.stride) { raw in
        feature.withUnsafeBufferPointer { featureBuffer in
        threshold.withUnsafeBufferPointer { thresholdBuffer in
        leafPathLength.withUnsafeBufferPointer { leafBuffer in
            let f = featureBuffer.baseAddress!, t = thresholdBuffer.baseAddress!, leaf = leafBuffer.baseAddress!
            let x = values.baseAddress!
            let internalSlots = internalSlotsPerTree, bottomSlots = bottomSlotsPerTree
            let acc = raw.bindMemory(to: Double.self, capacity: blockRows)
            let block = (raw + accBytes).bindMemory(to: Float.self, capacity: blockRows * stride)
            var start = 0
            while start < rows {
                let count = min(blockRows, rows - start)
                let groups = (count + 7) / 8
                for r in 0 ..< count { (block + r &* stride).update(from: x + (start + r) * d, count: d) }
                for r in count ..< groups * 8 { (block + r &* stride).update(repeating: 0, count: d) }
                acc.update(repeating: 0, count: blockRows)
                for tree in 0 ..< treeCount {
                    let tf = f + tree * internalSlots, tt = t + tree * internalSlots
                    let tl = leaf + tree * bottomSlots - internalSlots
                    let rootFeature = Int(tf[0]), rootThreshold = tt[0]
                    for g in 0 ..< groups {
                        let b = block + g &* 8 &* stride
                        // The root step is shared by every lane: one feature and threshold load.
                        var s0 = 1 &+ _bit(b[rootFeature] >= rootThreshold)
                        var s1 = 1 &+ _bit(b[rootFeature &+ stride] >= rootThreshold)
                        var s2 = 1 &+ _bit(b[rootFeature &+ 2 &* stride] >= rootThreshold)
                        var s3 = 1 &+ _bit(b[rootFeature &+ 3 &* stride] >= rootThreshold)
                        var s4 = 1 &+ _bit(b[rootFeature &+ 4 &* stride] >= rootThreshold)
                        var s5 = 1 &+ _bit(b[rootFeature &+ 5 &* stride] >= rootThreshold)
                        var s6 = 1 &+ _bit(b[rootFeature &+ 6 &* stride] >= rootThreshold)
                        var s7 = 1 &+ _bit(b[rootFeature &+ 7 &* stride] >= rootThreshold)
                        for _ in 1 ..< height {
                            s0 = 2 &* s0 &+ 1 &+ _bit(b[Int(tf[s0])] >= tt[s0])
                            s1 = 2 &* s1 &+ 1 &+ _bit(b[Int(tf[s1]) &+ stride] >= tt[s1])
                            s2 = 2 &* s2 &+ 1 &+ _bit(b[Int(tf[s2]) &+ 2 &* stride] >= tt[s2])
                            s3 = 2 &* s3 &+ 1 &+ _bit(b[Int(tf[s3]) &+ 3 &* stride] >= tt[s3])
                            s4 = 2 &* s4 &+ 1 &+ _bit(b[Int(tf[s4]) &+ 4 &* stride] >= tt[s4])
                            s5 = 2 &* s5 &+ 1 &+ _bit(b[Int(tf[s5]) &+ 5 &* stride] >= tt[s5])
                            s6 = 2 &* s6 &+ 1 &+ _bit(b[Int(tf[s6]) &+ 6 &* stride] >= tt[s6])
                            s7 = 2 &* s7 &+ 1 &+ _bit(b[Int(tf[s7]) &+ 7 &* stride] >= tt[s7])
                        }
                        let a = acc + g &* 8
                        a[0] += Double(tl[s0]); a[1] += Double(tl[s1]); a[2] += Double(tl[s2]); a[3] += Double(tl[s3])
                        a[4] += Double(tl[s4]); a[5] += Double(tl[s5]); a[6] += Double(tl[s6]); a[7] += Double(tl[s7])
                    }
                }
                for r in 0 ..< count {
                    scores[start + r] = IsolationForest.score(meanPathLength: acc[r] / trees, c: c)
                }
                start += count
            }
        }
        }
        }
        }
    }
}
