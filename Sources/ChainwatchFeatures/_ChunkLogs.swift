import ChainwatchCore
import _ChainwatchAVX2Kernels

/// The values of one chunk of rows whose log1p is (part of) a feature, gathered while the rows run and
/// transformed together once the chunk is done: one 8-wide pass (`VectorMath.log1p`, the AVX2 build where
/// the CPU has it) instead of six 4-lane calls per row. A lane's log1p does not depend on its neighbours,
/// so every feature keeps its bits.
///
/// Per row, ``stride`` floats (side 0 = sender, 1 = receiver):
///
///     8·s + 0 ..< 8·s + 4   decayed counts, one per half-life lane
///     8·s + 4 ..< 8·s + 8   seconds since the last transaction, decayed ETH in, out, distinct counterparties
///     16 ..< 20             MIDAS burst scores: edge, sender, receiver, amount-weighted edge
///     20                    decayed mean gas price before the row (0 before the first transaction)
///     21, 22                sender and receiver age (s)
///     23                    unused, 0
///
/// A receiver-less row leaves its receiver lanes 0, and log1p(0) = 0 is what those features must be.
/// Before the rows run, ``logInputs(of:rows:kernel:)`` takes log1p of the chunk's amounts and gas prices,
/// which each row needs as it runs.
struct _ChunkLogs: ~Copyable {
    static let stride = 24
    static let sideStride = 8, since = 4, flowIn = 5, flowOut = 6, distinct = 7
    static let burst = 16, gasMean = 20, age = 21

    /// Rows per chunk (a multiple of 4, so the input block is a whole number of 8-lane vectors).
    let capacity: Int
    private var pending: _Column<Float>
    /// log1p of the chunk's amounts (ETH), then of its gas prices: `capacity` each.
    private var inputs: _Column<Float>

    init(rows: Int) {
        precondition(rows > 0 && rows % 4 == 0, "chunk rows must be a positive multiple of 4")
        capacity = rows
        pending = _Column(capacity: rows * Self.stride)
        pending.append(repeating: 0, count: rows * Self.stride)
        inputs = _Column(capacity: 2 * rows)
        inputs.append(repeating: 0, count: 2 * rows)
    }

    /// The pending values of row `index` of the chunk (< ``capacity``).
    @inline(__always)
    func row(_ index: Int) -> UnsafeMutablePointer<Float> { pending.pointer(index &* Self.stride) }

    /// log1p(max(amount, 0)) of row `index` of the chunk, after ``logInputs(of:rows:kernel:)``.
    @inline(__always)
    func amountLog(_ index: Int) -> Float { inputs[index] }

    /// log1p(max(gas price, 0)) of row `index` of the chunk, after ``logInputs(of:rows:kernel:)``.
    @inline(__always)
    func gasLog(_ index: Int) -> Float { inputs[capacity &+ index] }

    /// Takes log1p of the amounts and gas prices of `rows` (at most ``capacity`` rows of `batch`).
    @inline(__always)
    func logInputs(of batch: TxBatch, rows: Range<Int>, kernel: SIMDKernel) {
        let amounts = inputs.pointer(0), gas = inputs.pointer(capacity)
        for index in 0 ..< capacity {
            let row = rows.lowerBound &+ index
            let inChunk = row < rows.upperBound
            amounts[index] = inChunk ? Float(max(batch.amount[row], 0)) : 0
            gas[index] = inChunk ? max(batch.gasPrice[row], 0) : 0
        }
        Self.log1p(amounts, count: 2 * capacity, kernel: kernel)
    }

    /// Replaces the pending values of the first `rows` rows by their log1p.
    @inline(__always)
    func transform(rows: Int, kernel: SIMDKernel) {
        Self.log1p(pending.pointer(0), count: rows &* Self.stride, kernel: kernel)
    }

    @inline(__always)
    private static func log1p(_ values: UnsafeMutablePointer<Float>, count: Int, kernel: SIMDKernel) {
        if kernel == .avx2 {
            VectorMathAVX2.log1p(inPlace: values, count: count)
        } else {
            VectorMath.log1p(inPlace: values, count: count)
        }
    }

    var memoryBytes: Int { (pending.capacity + inputs.capacity) * MemoryLayout<Float>.stride }
}
