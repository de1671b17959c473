/// The autoencoder's tile kernels written for 8-wide vectors, for CPUs with AVX2.
///
/// This module is compiled with `-target-cpu haswell` on x86-64 (see Package.swift), so a `SIMD8<Float>` is
/// one ymm register and every multiply or add handles eight rows at once — half the FP instructions of the
/// SSE2 kernel in ChainwatchModels (`_AutoencoderTile`), whose FP ports are its bottleneck. Only call these
/// functions after checking that the CPU has Haswell's features (ChainwatchCore's `SIMDKernel` does);
/// on other CPUs they fault with an illegal instruction. Nothing here is `@inlinable` so that none of this
/// code can be inlined into, and run from, modules built for baseline x86-64.
///
/// Scores have the same bits as the SSE2 kernel's: each lane is one row and does the same operations in
/// the same order (bias, then `acc + w·x` for inputs in index order as separate multiply and add — this
/// module must not be built with fused multiply-add contraction, the tests and the README's disassembly
/// check guard that — ReLU as "0 unless > 0", squared errors summed in feature order, then divided by d).
///
/// Tile layout, shared with `_AutoencoderTile`: 16 rows, each feature (or unit) `i` as 16 floats at byte
/// offset `64·i`, row `r` in float `r`. Here that is two 8-wide halves, rows 0–7 and rows 8–15. Tiles are
/// passed as raw pointers (ChainwatchModels binds them to `SIMD4<Float>`) and read with raw loads; they
/// must be 16-byte aligned. Pointers do not own their memory and must not escape the call.
public enum AutoencoderTileAVX2 {
    typealias Half = SIMD8<Float>
    /// Bytes per feature in a tile: 16 floats.
    static let featureStride = 64

    /// `output[o] = act(bias[o] + Σ_i weights[o·n + i] · input[i])` for `o < m` over a 16-row tile.
    /// `weights` is the layer's `m × n` weights (row-major, row = output unit) followed by its `m` biases,
    /// as plain floats: each is broadcast with one load (`vbroadcastss`), which costs no FP port.
    /// `relu == false` is linear.
    public static func dense(weights: UnsafePointer<Float>, input: UnsafeRawPointer, inCount n: Int,
                             output: UnsafeMutableRawPointer, outCount m: Int, relu: Bool) {
        let bias = weights + m &* n
        var o = 0
        // Four output units per pass: 8 accumulators + 2 input halves + broadcasts fit in 16 ymm registers,
        // and 8 independent add chains cover the adder latency.
        while o &+ 4 <= m {
            let w0 = weights + o &* n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n
            var a0 = Half(repeating: bias[o]), a1 = a0
            var b0 = Half(repeating: bias[o &+ 1]), b1 = b0
            var c0 = Half(repeating: bias[o &+ 2]), c1 = c0
            var d0 = Half(repeating: bias[o &+ 3]), d1 = d0
            var x = input
            for i in 0 ..< n {
                let x0 = x.load(as: Half.self), x1 = x.load(fromByteOffset: 32, as: Half.self)
                let u = Half(repeating: w0[i]), v = Half(repeating: w1[i])
                a0 = a0 + u * x0; a1 = a1 + u * x1
                b0 = b0 + v * x0; b1 = b1 + v * x1
                let s = Half(repeating: w2[i]), t = Half(repeating: w3[i])
                c0 = c0 + s * x0; c1 = c1 + s * x1
                d0 = d0 + t * x0; d1 = d1 + t * x1
                x += featureStride
            }
            let out = output + o &* featureStride
            store(a0, a1, to: out, relu: relu)
            store(b0, b1, to: out + featureStride, relu: relu)
            store(c0, c1, to: out + 2 &* featureStride, relu: relu)
            store(d0, d1, to: out + 3 &* featureStride, relu: relu)
            o &+= 4
        }
        while o < m {
            let w0 = weights + o &* n
            var a0 = Half(repeating: bias[o]), a1 = a0
            var x = input
            for i in 0 ..< n {
                let u = Half(repeating: w0[i])
                a0 = a0 + u * x.load(as: Half.self); a1 = a1 + u * x.load(fromByteOffset: 32, as: Half.self)
                x += featureStride
            }
            store(a0, a1, to: output + o &* featureStride, relu: relu)
            o &+= 1
        }
    }

    /// One unit's 16 rows, ReLU'd as the SSE2 kernel does it ("0 unless > 0": NaN and −0 become +0).
    @inline(__always)
    static func store(_ low: Half, _ high: Half, to destination: UnsafeMutableRawPointer, relu: Bool) {
        var low = low, high = high
        if relu {
            low.replace(with: 0, where: .!(low .> 0))
            high.replace(with: 0, where: .!(high .> 0))
        }
        destination.storeBytes(of: low, as: Half.self)
        destination.storeBytes(of: high, toByteOffset: 32, as: Half.self)
    }

    /// Stores the first `count` rows' (`count ≤ 16`) mean of `(reconstruction_j − input_j)²` over `d`
    /// features, summed in feature order.
    public static func storeMeanSquaredErrors(reconstruction: UnsafeRawPointer, input: UnsafeRawPointer,
                                              dimensions d: Int, count: Int,
                                              to destination: UnsafeMutablePointer<Float>) {
        precondition(count >= 0 && count <= 16, "a tile holds at most 16 rows")
        var e0 = Half(), e1 = Half()
        var r = reconstruction, x = input
        for _ in 0 ..< d {
            let d0 = r.load(as: Half.self) - x.load(as: Half.self)
            let d1 = r.load(fromByteOffset: 32, as: Half.self) - x.load(fromByteOffset: 32, as: Half.self)
            e0 = e0 + d0 * d0; e1 = e1 + d1 * d1
            r += featureStride; x += featureStride
        }
        let scale = Half(repeating: Float(d))
        let errors = (e0 / scale, e1 / scale)
        if count == 16 {
            let raw = UnsafeMutableRawPointer(destination)
            raw.storeBytes(of: errors.0, as: Half.self)
            raw.storeBytes(of: errors.1, toByteOffset: 32, as: Half.self)
        } else {
            withUnsafeBytes(of: errors) { raw in
                for row in 0 ..< count { destination[row] = raw.load(fromByteOffset: row * 4, as: Float.self) }
            }
        }
    }
}
