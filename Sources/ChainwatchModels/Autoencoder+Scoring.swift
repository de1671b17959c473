import ChainwatchCore

extension Autoencoder {
    /// Mean squared reconstruction error of every (standardized) row into `scores` (resized to `data.rows`).
    ///
    /// Works in blocks of 16 rows: transpose the block, run each layer as SIMD16 multiply-adds (each lane a
    /// row), reduce the error per lane, store 16 scores. Scratch for all layer activations (Σ layer sizes
    /// vectors) is allocated once per call. Agrees with ``score(row:)`` to rounding (same operation order).
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, autoencoder expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        let lanes = _MatrixKernels.laneCount
        var layerStart = [0]
        for size in layerSizes { layerStart.append(layerStart.last! + size) }
        let scratch = UnsafeMutablePointer<_MatrixKernels.Lanes>.allocate(capacity: layerStart.last!)
        defer { scratch.deallocate() }
        let d = dimensions, rows = data.rows
        parameters.withUnsafeBufferPointer { p in
            data.values.withUnsafeBufferPointer { x in
                scores.withUnsafeMutableBufferPointer { s in
                    var start = 0
                    while start < rows {
                        let count = min(lanes, rows - start)
                        _MatrixKernels.transpose(rows: x.baseAddress! + start * d, count: count, dimensions: d,
                                                 into: scratch)
                        for l in 0 ..< layerCount {
                            let n = layerSizes[l], m = layerSizes[l + 1], w = weightOffset(l)
                            _MatrixKernels.dense(
                                weights: p.baseAddress! + w, bias: p.baseAddress! + w + m * n,
                                input: scratch + layerStart[l], inCount: n,
                                output: scratch + layerStart[l + 1], outCount: m,
                                activation: l == layerCount - 1 ? nil : activation)
                        }
                        let errors = _MatrixKernels.meanSquaredError(
                            reconstruction: scratch + layerStart[layerCount], input: scratch, dimensions: d)
                        _MatrixKernels.store(errors, count: count, to: s.baseAddress! + start)
                        start += lanes
                    }
                }
            }
        }
    }
}
