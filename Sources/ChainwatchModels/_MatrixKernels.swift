import RealModule

/// SIMD16 building blocks for training on 16 rows at once, each *lane* a row (scoring uses the same
/// arithmetic on quads: `_AutoencoderTile`).
///
/// Inputs are transposed so vector `i` holds feature `i` of 16 consecutive rows; a dense layer is then
/// `acc = b + Σ_i w_oi · x_i` with a broadcast weight per step — no horizontal sums, no gathers. Products and
/// sums are separate operations in the same order as the scalar reference (`Autoencoder.activations`), never
/// fused: without `-target-cpu` a fused multiply-add is a library call per lane (MACHINE-FACTS). Lanes are
/// only read through raw memory (`_spill`), never as `v[i]` in a loop, which measured ≈ 100× slower.
///
/// Pointers here do not own their memory and must not escape the call; callers are the autoencoder's trainer
/// and the kernel tests, which check the forward pass against scalar code and the scoring tiles bit for bit.
enum _MatrixKernels {
    typealias Lanes = SIMD16<Float>
    static let laneCount = 16

    /// Writes rows `0 ..< count` (`count ≤ 16`, row-major, `d` floats each) into `d` lane vectors; lanes past
    /// `count` are zero.
    static func transpose(rows: UnsafePointer<Float>, count: Int, dimensions d: Int,
                          into output: UnsafeMutablePointer<Lanes>) {
        precondition(count >= 0 && count <= laneCount, "a block holds at most 16 rows")
        if count < laneCount { output.update(repeating: Lanes(), count: d) }
        let raw = UnsafeMutableRawPointer(output)
        // Wrapping arithmetic: the offsets are bounded by the precondition and `d`, and overflow checks in
        // this loop cost more than the stores.
        for r in 0 ..< count {
            let row = rows + r &* d
            var offset = r &* MemoryLayout<Float>.stride
            for i in 0 ..< d {
                raw.storeBytes(of: row[i], toByteOffset: offset, as: Float.self)
                offset &+= laneCount &* MemoryLayout<Float>.stride
            }
        }
    }

    /// `output[o] = act(bias[o] + Σ_i weights[o·n + i] · input[i])` for `o < m`; `activation == nil` is linear.
    static func dense(weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                      input: UnsafePointer<Lanes>, inCount n: Int,
                      output: UnsafeMutablePointer<Lanes>, outCount m: Int,
                      activation: Autoencoder.Activation?) {
        // Two output units per pass share each loaded input vector (two independent add chains, 8 + 4
        // registers at SSE width); each unit's sum keeps the scalar reference's order.
        var o = 0
        while o + 2 <= m {
            let row0 = weights + o * n, row1 = row0 + n
            var acc0 = Lanes(repeating: bias[o]), acc1 = Lanes(repeating: bias[o + 1])
            var i = 0
            while i &+ 2 <= n {
                let x = input[i], y = input[i &+ 1]
                acc0 = acc0 + Lanes(repeating: row0[i]) * x
                acc1 = acc1 + Lanes(repeating: row1[i]) * x
                acc0 = acc0 + Lanes(repeating: row0[i &+ 1]) * y
                acc1 = acc1 + Lanes(repeating: row1[i &+ 1]) * y
                i &+= 2
            }
            if i < n {
                let x = input[i]
                acc0 = acc0 + Lanes(repeating: row0[i]) * x
                acc1 = acc1 + Lanes(repeating: row1[i]) * x
            }
            output[o] = _activate(acc0, activation)
            output[o + 1] = _activate(acc1, activation)
            o += 2
        }
        if o < m {
            let row = weights + o * n
            var acc = Lanes(repeating: bias[o])
            for i in 0 ..< n { acc = acc + Lanes(repeating: row[i]) * input[i] }
            output[o] = _activate(acc, activation)
        }
    }

    @inline(__always)
    static func _activate(_ lanes: Lanes, _ activation: Autoencoder.Activation?) -> Lanes {
        var acc = lanes
        switch activation {
        case .relu?: acc.replace(with: 0, where: .!(acc .> 0))
        case .tanh?: acc = _spill(acc) { Float.tanh($0) }
        case nil: break
        }
        return acc
    }

    /// Backward through one dense layer for 16 rows (lane-wise; the caller sums lanes once per batch):
    /// `gradients[o·n + i] += delta[o] · input[i]`, `gradients[m·n + o] += delta[o]`, and when `inputDelta`
    /// is given, `inputDelta[i] = (Σ_o w[o·n + i] · delta[o]) · act′(input[i])` where `input` holds the
    /// activation *outputs* of the layer below (ReLU′ = [a > 0], tanh′ = 1 − a²).
    static func denseBackward(weights: UnsafePointer<Float>, input: UnsafePointer<Lanes>, inCount n: Int,
                              delta: UnsafePointer<Lanes>, outCount m: Int,
                              gradients: UnsafeMutablePointer<Lanes>,
                              inputDelta: UnsafeMutablePointer<Lanes>?, activation: Autoencoder.Activation) {
        for o in 0 ..< m {
            let dO = delta[o]
            let row = gradients + o * n
            for i in 0 ..< n { row[i] = row[i] + dO * input[i] }
            gradients[m * n + o] = gradients[m * n + o] + dO
        }
        guard let inputDelta else { return }
        for i in 0 ..< n {
            var sum = Lanes()
            for o in 0 ..< m { sum = sum + Lanes(repeating: weights[o * n + i]) * delta[o] }
            let a = input[i]
            switch activation {
            case .relu: sum.replace(with: 0, where: .!(a .> 0))
            case .tanh: sum = sum * (Lanes(repeating: 1) - a * a)
            }
            inputDelta[i] = sum
        }
    }

    /// `output[k] = Σ_lane lanes[k][lane]` (lanes summed in order) for `k < count`.
    static func laneSums(_ lanes: UnsafePointer<Lanes>, count: Int, into output: UnsafeMutablePointer<Float>) {
        UnsafeRawPointer(lanes).withMemoryRebound(to: Float.self, capacity: count * laneCount) { floats in
            for k in 0 ..< count {
                var sum: Float = 0
                for l in 0 ..< laneCount { sum += floats[k * laneCount + l] }
                output[k] = sum
            }
        }
    }

    /// Runs `body` on `bytes` bytes of 16-byte-aligned scratch: a fixed-size local (24 KiB on the stack, no
    /// heap, no stack-size probe) when it fits, else a heap block. Contents are zero on entry in the stack case
    /// only; callers initialize what they read. The pointer must not escape `body`.
    @inline(__always)
    static func withScratch<R>(bytes: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
        if bytes <= MemoryLayout<_StackScratch>.size {
            var storage = _StackScratch()
            return withUnsafeMutableBytes(of: &storage) { body($0.baseAddress!) }
        }
        let heap = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { heap.deallocate() }
        return body(heap)
    }

    /// Applies a scalar function lane by lane through a spilled copy (for functions with no SIMD form).
    @inline(__always)
    static func _spill(_ lanes: Lanes, _ body: (Float) -> Float) -> Lanes {
        var copy = lanes
        withUnsafeMutableBytes(of: &copy) { raw in
            for l in 0 ..< laneCount {
                let offset = l * MemoryLayout<Float>.stride
                raw.storeBytes(of: body(raw.load(fromByteOffset: offset, as: Float.self)), toByteOffset: offset, as: Float.self)
            }
        }
        return copy
    }
}

/// 24 KiB of stack scratch as a fixed-size value (384 SIMD16 vectors), see `_MatrixKernels.withScratch`.
struct _StackScratch {
    typealias L = SIMD16<Float>
    typealias L8 = (L, L, L, L, L, L, L, L)
    typealias L64 = (L8, L8, L8, L8, L8, L8, L8, L8)
    var a: L64, b: L64, c: L64, d: L64, e: L64, f: L64

    @inline(__always)
    init() {
        let z = L()
        let e8: L8 = (z, z, z, z, z, z, z, z)
        let e64: L64 = (e8, e8, e8, e8, e8, e8, e8, e8)
        a = e64; b = e64; c = e64; d = e64; e = e64; f = e64
    }
}
