import ChainwatchCore

extension IsolationForest {
    /// Scores every row of `data` into `scores` (resized to `data.rows`; capacity is kept between batches).
    ///
    /// Axis-parallel forests walk blocks of 66 rows tree-major (a tree's nodes stay in L1 while the block
    /// walks it), eleven rows side by side, so eleven dependent load chains are in flight at once, comparing
    /// integer order keys instead of floats (`IsolationForest+WalkLayout.swift`). Every walk is exactly
    /// `heightLimit` steps (pass-through slots), so there is no per-lane exit branch. Path lengths are summed
    /// per row in `Double`, where the sums are exact, so the result has the same bits as ``score(row:)``.
    /// Extended forests walk tree-major over chunks of 256 rows, four rows interleaved (each step is a
    /// d-long dot product). Scratch lives on the stack (`_MatrixKernels.withScratch`): a call does not
    /// allocate for d ≤ 91 (axis-parallel; larger d takes one heap block per call) or any d (extended).
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

    /// Rows walked side by side. Each walk is one dependency chain of loads (feature, then value) per level,
    /// so the kernel is latency-bound and more walks in flight is what pays; eleven walk states plus the
    /// block, node and scratch registers are the 15 general registers, one more spilled (measured: 12 lanes
    /// slower than 11).
    private static var _walkLanes: Int { 11 }

    /// Rows per block: six groups of eleven. The block's keys (66 × 64 × 4 bytes, 17 KB) and one tree
    /// (255 × 8 + 256 × 4 bytes ≈ 3 KB) stay in L1 while every group walks that tree.
    private static var _blockRows: Int { 66 }

    /// Scores every row: blocks of 66 rows, tree-major inside a block, eleven rows walked side by side.
    ///
    /// Tree-major over a block reuses each tree's nodes while they are in L1 (walking all trees per row
    /// streams the ≈ 300 KB forest through L1 for every group). Rows are copied into the block as unsigned
    /// order keys (`IsolationForest+WalkLayout.swift`) with a compile-time row stride of 64 keys when d ≤ 64,
    /// so lane k's value is one load `[block + feature·4 + k·256]`.
    ///
    /// Walk state is `u = slot + 2`: the children of slot `s` are `2s + 1` and `2s + 2`, so one step is
    /// `u = 2u − [key < threshold key]` — a `cmp` against the node in memory and an `sbb`, with `2u` computed
    /// off the chain. Path lengths are summed per row in `Double`; every leaf length is a multiple of 2⁻²³
    /// below 2⁵ and there are few trees, so the sums are exact and independent of order — the same bits as
    /// ``score(row:)``.
    private func _walkAxisParallel(values: UnsafeBufferPointer<Float>, rows: Int,
                                   scores: UnsafeMutableBufferPointer<Float>, trees: Double, c: Double) {
        if dimensions <= 64 {
            _walkAxisParallel(values: values, rows: rows, scores: scores, trees: trees, c: c, stride: 64)
        } else {
            _walkAxisParallel(values: values, rows: rows, scores: scores, trees: trees, c: c, stride: dimensions)
        }
    }

    @inline(__always)
    private func _walkAxisParallel(values: UnsafeBufferPointer<Float>, rows: Int,
                                   scores: UnsafeMutableBufferPointer<Float>, trees: Double, c: Double,
                                   stride: Int) {
        let d = dimensions, height = heightLimit
        let lanes = IsolationForest._walkLanes, blockRows = IsolationForest._blockRows
        let accBytes = blockRows * MemoryLayout<Double>.stride
        _MatrixKernels.withScratch(bytes: accBytes + blockRows * stride * MemoryLayout<UInt32>.stride) { raw in
        walkNodes.withUnsafeBufferPointer { nodeBuffer in
        leafPathLength.withUnsafeBufferPointer { leafBuffer in
            let nodes = nodeBuffer.baseAddress!, leaf = leafBuffer.baseAddress!, x = values.baseAddress!
            let internalSlots = internalSlotsPerTree, bottomSlots = bottomSlotsPerTree
            let acc = raw.bindMemory(to: Double.self, capacity: blockRows)
            let keys = (raw + accBytes).bindMemory(to: UInt32.self, capacity: blockRows * stride)
            let block = UnsafePointer(keys)
            var start = 0
            while start < rows {
                let count = min(blockRows, rows - start)
                let groups = (count + lanes - 1) / lanes
                for r in 0 ..< count {
                    IsolationForest.storeValueKeys(x + (start + r) * d, count: d, to: keys + r &* stride)
                }
                // Padding rows walk on key 0 (always left); their sums are never read.
                for r in count ..< groups * lanes { (keys + r &* stride).update(repeating: 0, count: d) }
                acc.update(repeating: 0, count: groups * lanes)
                for tree in 0 ..< treeCount {
                    // Indexed by u = slot + 2: node pairs at [2u, 2u + 1], bottom slots at u − internalSlots − 2.
                    let tn = nodes + (2 &* tree &* internalSlots &- 4)
                    let tl = leaf + (tree &* bottomSlots &- internalSlots &- 2)
                    let rootFeature = Int(tn[4]), rootKey = tn[5]
                    for g in 0 ..< groups {
                        let b = block + g &* lanes &* stride
                        // The root step is shared by every lane: one feature and key load.
                        var u0 = 4 &- _bit(b[rootFeature] < rootKey)
                        var u1 = 4 &- _bit(b[rootFeature &+ stride] < rootKey)
                        var u2 = 4 &- _bit(b[rootFeature &+ 2 &* stride] < rootKey)
                        var u3 = 4 &- _bit(b[rootFeature &+ 3 &* stride] < rootKey)
                        var u4 = 4 &- _bit(b[rootFeature &+ 4 &* stride] < rootKey)
                        var u5 = 4 &- _bit(b[rootFeature &+ 5 &* stride] < rootKey)
                        var u6 = 4 &- _bit(b[rootFeature &+ 6 &* stride] < rootKey)
                        var u7 = 4 &- _bit(b[rootFeature &+ 7 &* stride] < rootKey)
                        var u8 = 4 &- _bit(b[rootFeature &+ 8 &* stride] < rootKey)
                        var u9 = 4 &- _bit(b[rootFeature &+ 9 &* stride] < rootKey)
                        var u10 = 4 &- _bit(b[rootFeature &+ 10 &* stride] < rootKey)
                        for _ in 1 ..< height {
                            u0 = 2 &* u0 &- _bit(b[Int(tn[2 &* u0])] < tn[2 &* u0 &+ 1])
                            u1 = 2 &* u1 &- _bit(b[Int(tn[2 &* u1]) &+ stride] < tn[2 &* u1 &+ 1])
                            u2 = 2 &* u2 &- _bit(b[Int(tn[2 &* u2]) &+ 2 &* stride] < tn[2 &* u2 &+ 1])
                            u3 = 2 &* u3 &- _bit(b[Int(tn[2 &* u3]) &+ 3 &* stride] < tn[2 &* u3 &+ 1])
                            u4 = 2 &* u4 &- _bit(b[Int(tn[2 &* u4]) &+ 4 &* stride] < tn[2 &* u4 &+ 1])
                            u5 = 2 &* u5 &- _bit(b[Int(tn[2 &* u5]) &+ 5 &* stride] < tn[2 &* u5 &+ 1])
                            u6 = 2 &* u6 &- _bit(b[Int(tn[2 &* u6]) &+ 6 &* stride] < tn[2 &* u6 &+ 1])
                            u7 = 2 &* u7 &- _bit(b[Int(tn[2 &* u7]) &+ 7 &* stride] < tn[2 &* u7 &+ 1])
                            u8 = 2 &* u8 &- _bit(b[Int(tn[2 &* u8]) &+ 8 &* stride] < tn[2 &* u8 &+ 1])
                            u9 = 2 &* u9 &- _bit(b[Int(tn[2 &* u9]) &+ 9 &* stride] < tn[2 &* u9 &+ 1])
                            u10 = 2 &* u10 &- _bit(b[Int(tn[2 &* u10]) &+ 10 &* stride] < tn[2 &* u10 &+ 1])
                        }
                        let a = acc + g &* lanes
                        a[0] += Double(tl[u0]); a[1] += Double(tl[u1]); a[2] += Double(tl[u2])
                        a[3] += Double(tl[u3]); a[4] += Double(tl[u4]); a[5] += Double(tl[u5])
                        a[6] += Double(tl[u6]); a[7] += Double(tl[u7]); a[8] += Double(tl[u8])
                        a[9] += Double(tl[u9]); a[10] += Double(tl[u10])
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
