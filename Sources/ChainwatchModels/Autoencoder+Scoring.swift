import ChainwatchCore

extension Autoencoder {
    /// Mean squared reconstruction error of every (standardized) row into `scores` (resized to `data.rows`).
    ///
    /// Works in blocks of 16 rows: transpose the block, run each layer as SIMD16 multiply-adds (each lane a
    /// row), reduce the error per lane, store 16 scores. Scratch for all layer activations (Σ layer sizes
    /// vectors) lives in stack scratch (`_MatrixKernels.withScratch`), so a call does not allocate. Agrees with
    /// ``score(row:)`` to rounding (same operation order).
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, autoencoder expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        let lanes = _MatrixKernels.laneCount
        let layers = layerCount, d = dimensions, rows = data.rows
        // Layer offsets in the scratch (Σ layer sizes vectors) are recomputed per block from `layerSizes`:
        // a handful of adds, and no array to allocate.
        var total = 0
        for size in layerSizes { total += size }
        _MatrixKernels.withScratch(bytes: total * MemoryLayout<_MatrixKernels.Lanes>.stride) { raw in
            let scratch = raw.bindMemory(to: _MatrixKernels.Lanes.self, capacity: total)
            layerSizes.withUnsafeBufferPointer { sizes in
            parameters.withUnsafeBufferPointer { p in
            data.values.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < rows {
                    let count = min(lanes, rows - start)
                    _MatrixKernels.transpose(rows: x.baseAddress! + start * d, count: count, dimensions: d,
                                             into: scratch)
                    var input = scratch, w = p.baseAddress!
                    for l in 0 ..< layers {
                        let n = sizes[l], m = sizes[l + 1]
                        let output = input + n
                        _MatrixKernels.dense(
                            weights: w, bias: w + m * n,
                            input: input, inCount: n,
                            output: output, outCount: m,
                            activation: l == layers - 1 ? nil : activation)
                        input = output
                        w += m * (n + 1)
                    }
                    let errors = _MatrixKernels.meanSquaredError(
                        reconstruction: input, input: scratch, dimensions: d)
                    _MatrixKernels.store(errors, count: count, to: s.baseAddress! + start)
                    start += lanes
                }
            }
            }
            }
            }
        }
    }
}
