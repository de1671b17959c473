import ChainwatchCore

extension Autoencoder {
    /// Mean squared reconstruction error of every (standardized) row into `scores` (resized to `data.rows`).
    ///
    /// Works in tiles of 16 rows (`_AutoencoderTile`): transpose the tile, run each layer as multiply-adds on
    /// four quads per unit (each lane a row) with pre-broadcast weights (``broadcastParameters``), reduce the
    /// error per lane, store 16 scores; a last partial tile is zero-padded. Every unit sums in the scalar
    /// reference's order (``score(row:)`` agrees to rounding, the training kernels bit for bit), and lanes
    /// never mix, so a row's score does not depend on the batch it is in. Scratch for all layer activations
    /// (Σ layer sizes × 4 quads) lives in stack scratch (`_MatrixKernels.withScratch`): a call does not allocate.
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, autoencoder expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        typealias Quad = _AutoencoderTile.Quad
        let tileRows = _AutoencoderTile.rows
        let layers = layerCount, d = dimensions, rows = data.rows
        var units = 0
        for size in layerSizes { units += size }
        _MatrixKernels.withScratch(bytes: 4 * units * MemoryLayout<Quad>.stride) { raw in
            let tile = raw.bindMemory(to: Quad.self, capacity: 4 * units)
            layerSizes.withUnsafeBufferPointer { sizes in
            broadcastParameters.withUnsafeBufferPointer { p in
            data.values.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < rows {
                    let count = min(tileRows, rows - start)
                    _AutoencoderTile.transpose(rows: x.baseAddress! + start * d, count: count, dimensions: d, into: tile)
                    var input = tile, w = p.baseAddress!
                    for l in 0 ..< layers {
                        let n = sizes[l], m = sizes[l + 1]
                        let output = input + 4 * n
                        _AutoencoderTile.dense(weights: w, input: input, inCount: n, output: output, outCount: m,
                                               activation: l == layers - 1 ? nil : activation)
                        input = output
                        w += m * (n + 1)
                    }
                    _AutoencoderTile.storeMeanSquaredErrors(reconstruction: input, input: tile, dimensions: d,
                                                           count: count, to: s.baseAddress! + start)
                    start += tileRows
                }
            }
            }
            }
            }
        }
    }
}
