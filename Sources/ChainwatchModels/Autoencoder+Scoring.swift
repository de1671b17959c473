import _ChainwatchAVX2Kernels
import ChainwatchCore

extension Autoencoder {
    /// Mean squared reconstruction error of every (standardized) row into `scores` (resized to `data.rows`).
    ///
    /// Works in tiles of 16 rows (`_AutoencoderTile`): transpose the tile, run each layer as multiply-adds on
    /// four quads per unit (each lane a row) with pre-broadcast weights (``broadcastParameters``), reduce the
    /// error per lane, store 16 scores; a last partial tile is zero-padded. Every unit sums in the scalar
    /// reference's order (``score(row:)`` agrees to rounding, the training kernels bit for bit), and lanes
    /// never mix, so a row's score does not depend on the batch it is in. Scratch (two input tiles and all
    /// layer outputs, 4 quads per unit) lives in stack scratch (`_MatrixKernels.withScratch`): a call does not
    /// allocate while Σ layer sizes + d ≤ 384 (168 for 40-16-8-16-40).
    ///
    /// The next full tile is transposed a quarter at a time between this tile's layers: reading its 40 cache
    /// lines in one burst left the hardware prefetcher (which runs a fixed distance ahead of demand) behind
    /// on every tile of rows that come from memory; spread out, its lines arrive before they are read
    /// (measured +7 % on batches streamed from DRAM, the same on cache-resident ones).
    ///
    /// The layers and the error run on the SSE2 kernel (`_AutoencoderTile`) or, on CPUs with AVX2 and for
    /// ReLU models, on the 8-wide `AutoencoderTileAVX2` (`SIMDKernel.selected`); both give the same bits.
    public func score(_ data: FeatureMatrix, into scores: inout [Float]) {
        score(data, into: &scores, kernel: SIMDKernel.selected)
    }

    /// ``score(_:into:)`` on the given kernel (tests compare the two); `.avx2` needs a CPU that has it and
    /// falls back to SSE2 for tanh models, which it does not implement.
    func score(_ data: FeatureMatrix, into scores: inout [Float], kernel: SIMDKernel) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, autoencoder expects \(dimensions)")
        scores.removeAll(keepingCapacity: true)
        scores.append(contentsOf: repeatElement(0, count: data.rows))
        guard data.rows > 0 else { return }
        typealias Quad = _AutoencoderTile.Quad
        let tileRows = _AutoencoderTile.rows
        let layers = layerCount, d = dimensions, rows = data.rows
        var units = 0
        for size in layerSizes { units += size }
        let quads = 4 * (units + d)
        let avx2 = kernel == .avx2 && activation == .relu
        _MatrixKernels.withScratch(bytes: quads * MemoryLayout<Quad>.stride) { raw in
            // [input tile | next input tile | outputs of every layer]
            let scratch = raw.bindMemory(to: Quad.self, capacity: quads)
            var tile = scratch, nextTile = scratch + 4 * d
            let activations = nextTile + 4 * d
            layerSizes.withUnsafeBufferPointer { sizes in
            broadcastParameters.withUnsafeBufferPointer { p in
            parameters.withUnsafeBufferPointer { scalarParameters in
            data.values.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { s in
                var start = 0
                var nextTileReady = false
                while start < rows {
                    let count = min(tileRows, rows - start)
                    if nextTileReady {
                        swap(&tile, &nextTile)
                    } else {
                        _AutoencoderTile.transpose(rows: x.baseAddress! + start * d, count: count, dimensions: d, into: tile)
                    }
                    let next = start + tileRows
                    let prepareNext = next + tileRows <= rows
                    var group = 0
                    var input = UnsafePointer(tile), output = activations, w = 0
                    for l in 0 ..< layers {
                        let n = sizes[l], m = sizes[l + 1]
                        if avx2 {
                            AutoencoderTileAVX2.dense(weights: scalarParameters.baseAddress! + w, input: input,
                                                      inCount: n, output: output, outCount: m, relu: l < layers - 1)
                        } else {
                            _AutoencoderTile.dense(weights: p.baseAddress! + w, input: input, inCount: n,
                                                   output: output, outCount: m,
                                                   activation: l == layers - 1 ? nil : activation)
                        }
                        if prepareNext && group < 4 {
                            _AutoencoderTile.transposeRowGroup(group, rows: x.baseAddress! + next * d, dimensions: d,
                                                               into: nextTile)
                            group += 1
                        }
                        input = UnsafePointer(output)
                        output += 4 * m
                        w += m * (n + 1)
                    }
                    while prepareNext && group < 4 {
                        _AutoencoderTile.transposeRowGroup(group, rows: x.baseAddress! + next * d, dimensions: d,
                                                           into: nextTile)
                        group += 1
                    }
                    nextTileReady = prepareNext
                    if avx2 {
                        AutoencoderTileAVX2.storeMeanSquaredErrors(reconstruction: input, input: tile, dimensions: d,
                                                                   count: count, to: s.baseAddress! + start)
                    } else {
                        _AutoencoderTile.storeMeanSquaredErrors(reconstruction: input, input: tile, dimensions: d,
                                                               count: count, to: s.baseAddress! + start)
                    }
                    start += tileRows
                }
            }
            }
            }
            }
            }
        }
    }
}
