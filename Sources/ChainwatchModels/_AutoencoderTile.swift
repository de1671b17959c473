import RealModule

/// The autoencoder's scoring kernels over a *tile* of 16 rows held as four `SIMD4<Float>` quads per feature.
///
/// A default build targets SSE2: four float lanes per register, so a `SIMD16` is four registers anyway. Writing
/// the four quads out lets each dense step keep two output units' accumulators (8 registers) and one input's
/// quads (4 registers) in registers and multiply by pre-broadcast weights loaded from memory — no shuffle per
/// weight on the FP ports, which bound this kernel (one multiply and one add per weight and row).
/// Products and sums stay separate operations (no fused multiply-add, see `_MatrixKernels`) and every output
/// unit sums its inputs in index order, exactly as ``Autoencoder/activations(row:)`` and the training kernels
/// do, so scores have the same bits as before this kernel and do not depend on how rows are batched.
///
/// Layout: quad `4·i + q` holds feature (or unit) `i` of rows `4q … 4q+3` of the tile. Pointers here do not
/// own their memory and must not escape the call; callers are `Autoencoder.score(_:into:)` and the kernel tests.
enum _AutoencoderTile {
    typealias Quad = SIMD4<Float>
    static let rows = 16

    /// Writes rows `0 ..< count` (`count ≤ 16`, row-major, `d` floats each) as `d` features × 4 quads; lanes of
    /// rows past `count` are zero.
    static func transpose(rows source: UnsafePointer<Float>, count: Int, dimensions d: Int,
                          into tile: UnsafeMutablePointer<Quad>) {
        precondition(count >= 0 && count <= rows, "a tile holds at most 16 rows")
        guard count == rows else {
            tile.update(repeating: Quad(), count: 4 * d)
            let lanes = UnsafeMutableRawPointer(tile)
            for r in 0 ..< count {
                let quadOffset = (r / 4) * MemoryLayout<Quad>.stride + (r % 4) * MemoryLayout<Float>.stride
                for i in 0 ..< d {
                    lanes.storeBytes(of: source[r * d + i], toByteOffset: i * 4 * MemoryLayout<Quad>.stride + quadOffset,
                                     as: Float.self)
                }
            }
            return
        }
        for group in 0 ..< 4 { transposeRowGroup(group, rows: source, dimensions: d, into: tile) }
    }

    /// Rows `4q … 4q+3` of a full tile (row-major, `d` floats each, from `source` = row 0 of the tile) into
    /// quad `q` of every feature, in 4 × 4 blocks: four unaligned loads, shuffles, four stores.
    @inline(__always)
    static func transposeRowGroup(_ q: Int, rows source: UnsafePointer<Float>, dimensions d: Int,
                                  into tile: UnsafeMutablePointer<Quad>) {
        let row0 = source + 4 &* q &* d
        var i = 0
        while i &+ 4 <= d {
            let r0 = UnsafeRawPointer(row0 + i).loadUnaligned(as: Quad.self)
            let r1 = UnsafeRawPointer(row0 + (d &+ i)).loadUnaligned(as: Quad.self)
            let r2 = UnsafeRawPointer(row0 + (2 &* d &+ i)).loadUnaligned(as: Quad.self)
            let r3 = UnsafeRawPointer(row0 + (3 &* d &+ i)).loadUnaligned(as: Quad.self)
            let low01 = Quad(r0[0], r1[0], r0[1], r1[1]), low23 = Quad(r2[0], r3[0], r2[1], r3[1])
            let high01 = Quad(r0[2], r1[2], r0[3], r1[3]), high23 = Quad(r2[2], r3[2], r2[3], r3[3])
            let out = tile + (4 &* i &+ q)
            out[0] = Quad(low01[0], low01[1], low23[0], low23[1])
            out[4] = Quad(low01[2], low01[3], low23[2], low23[3])
            out[8] = Quad(high01[0], high01[1], high23[0], high23[1])
            out[12] = Quad(high01[2], high01[3], high23[2], high23[3])
            i &+= 4
        }
        while i < d {
            tile[4 &* i &+ q] = Quad(row0[i], row0[d &+ i], row0[2 &* d &+ i], row0[3 &* d &+ i])
            i &+= 1
        }
    }

    /// `output[o] = act(bias[o] + Σ_i weights[o·n + i] · input[i])` for `o < m` over a tile, with `weights`
    /// (then `m` biases) pre-broadcast; `activation == nil` is linear.
    static func dense(weights: UnsafePointer<Quad>, input: UnsafePointer<Quad>, inCount n: Int,
                      output: UnsafeMutablePointer<Quad>, outCount m: Int, activation: Autoencoder.Activation?) {
        let bias = weights + m &* n
        var o = 0
        while o &+ 2 <= m {
            let w0 = weights + o &* n, w1 = w0 + n
            var a0 = bias[o], a1 = a0, a2 = a0, a3 = a0
            var b0 = bias[o &+ 1], b1 = b0, b2 = b0, b3 = b0
            for i in 0 ..< n {
                let x = input + 4 &* i
                let x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3]
                let u = w0[i], v = w1[i]
                a0 = a0 + u * x0; a1 = a1 + u * x1; a2 = a2 + u * x2; a3 = a3 + u * x3
                b0 = b0 + v * x0; b1 = b1 + v * x1; b2 = b2 + v * x2; b3 = b3 + v * x3
            }
            let out = output + 4 &* o
            out[0] = _activate(a0, activation); out[1] = _activate(a1, activation)
            out[2] = _activate(a2, activation); out[3] = _activate(a3, activation)
            out[4] = _activate(b0, activation); out[5] = _activate(b1, activation)
            out[6] = _activate(b2, activation); out[7] = _activate(b3, activation)
            o &+= 2
        }
        if o < m {
            let w0 = weights + o &* n
            var a0 = bias[o], a1 = a0, a2 = a0, a3 = a0
            for i in 0 ..< n {
                let x = input + 4 &* i
                let u = w0[i]
                a0 = a0 + u * x[0]; a1 = a1 + u * x[1]; a2 = a2 + u * x[2]; a3 = a3 + u * x[3]
            }
            let out = output + 4 &* o
            out[0] = _activate(a0, activation); out[1] = _activate(a1, activation)
            out[2] = _activate(a2, activation); out[3] = _activate(a3, activation)
        }
    }

    @inline(__always)
    private static func _activate(_ quad: Quad, _ activation: Autoencoder.Activation?) -> Quad {
        var value = quad
        switch activation {
        case .relu?: value.replace(with: 0, where: .!(value .> 0))
        case .tanh?: value = Quad(Float.tanh(value[0]), Float.tanh(value[1]), Float.tanh(value[2]), Float.tanh(value[3]))
        case nil: break
        }
        return value
    }

    /// Stores the first `count` rows' mean of `(reconstruction_j − input_j)²` over `d` features, summed in
    /// feature order.
    static func storeMeanSquaredErrors(reconstruction: UnsafePointer<Quad>, input: UnsafePointer<Quad>,
                                       dimensions d: Int, count: Int, to destination: UnsafeMutablePointer<Float>) {
        var e0 = Quad(), e1 = Quad(), e2 = Quad(), e3 = Quad()
        for j in 0 ..< d {
            let r = reconstruction + 4 &* j, x = input + 4 &* j
            let d0 = r[0] - x[0], d1 = r[1] - x[1], d2 = r[2] - x[2], d3 = r[3] - x[3]
            e0 = e0 + d0 * d0; e1 = e1 + d1 * d1; e2 = e2 + d2 * d2; e3 = e3 + d3 * d3
        }
        let scale = Quad(repeating: Float(d))
        let errors = (e0 / scale, e1 / scale, e2 / scale, e3 / scale)
        if count == rows {
            let raw = UnsafeMutableRawPointer(destination)
            raw.storeBytes(of: errors.0, toByteOffset: 0, as: Quad.self)
            raw.storeBytes(of: errors.1, toByteOffset: 16, as: Quad.self)
            raw.storeBytes(of: errors.2, toByteOffset: 32, as: Quad.self)
            raw.storeBytes(of: errors.3, toByteOffset: 48, as: Quad.self)
        } else {
            withUnsafeBytes(of: errors) { raw in
                for r in 0 ..< count { destination[r] = raw.load(fromByteOffset: r * 4, as: Float.self) }
            }
        }
    }
}
