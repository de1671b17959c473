import ChainwatchCore
import _ChainwatchAVX2Kernels

/// The values of one chunk of rows that need vector math before they are features, gathered while the rows
/// run and transformed together once the chunk is done: 8-wide passes (`VectorMath`, the AVX2 build where
/// the CPU has it) instead of several 4-lane calls per row. Each lane's result depends on that lane only,
/// so every feature keeps its bits.
///
/// Per row, two records (side s: 0 = sender, 1 = receiver; k: half-life lane 0 ..< 4):
///
///     logs, ``logStride`` floats, replaced by their log1p:
///       8·s + k                decayed count
///       8·s + 4 ..< 8·s + 8    seconds since the last transaction, decayed ETH in, out, distinct counterparties
///       16 ..< 20              MIDAS burst scores: edge, sender, receiver, amount-weighted edge
///       20                     decayed mean gas price before the row (0 before the first transaction)
///       21, 22                 sender and receiver age (s)
///       23                     unused, 0
///     moments, `VectorMath.momentsRecord` floats, lane 4·s + k of each group
///       (decayed count, mean, M2, count) → (shrunk mean, mean, shrunk std, std)
///
/// A receiver-less row leaves its receiver lanes 0, which the passes turn into the 0 those features must be.
/// Before the rows run, ``logInputs(of:rows:kernel:)`` takes log1p of the chunk's amounts and gas prices,
/// which each row needs as it runs.
struct _ChunkMath: ~Copyable {
    static let logStride = 24
    static let sideStride = 8, since = 4, flowIn = 5, flowOut = 6, distinct = 7
    static let burst = 16, gasMean = 20, age = 21
    /// Offsets of the four 8-lane groups of a moments record.
    static let decayedCount = 0, mean = 8, m2 = 16, count = 24
    static let shrunkMean = 0, shrunkStd = 16, std = 24

    /// Rows per chunk (a multiple of 4, so the input block is a whole number of 8-lane vectors).
    let capacity: Int
    private var pendingLogs: _Column<Float>
    private var pendingMoments: _Column<Float>
    /// log1p of the chunk's amounts (ETH), then of its gas prices: `capacity` each.
    private var inputs: _Column<Float>
    /// Per row and side, 1 when the amount z-score is reported (the account has ≥ 3 earlier transactions).
    private var zScoreSides: _Column<UInt8>

    init(rows: Int) {
        precondition(rows > 0 && rows % 4 == 0, "chunk rows must be a positive multiple of 4")
        capacity = rows
        pendingLogs = _Column(capacity: rows * Self.logStride)
        pendingLogs.append(repeating: 0, count: rows * Self.logStride)
        pendingMoments = _Column(capacity: rows * VectorMath.momentsRecord)
        pendingMoments.append(repeating: 0, count: rows * VectorMath.momentsRecord)
        inputs = _Column(capacity: 2 * rows)
        inputs.append(repeating: 0, count: 2 * rows)
        zScoreSides = _Column(capacity: 2 * rows)
        zScoreSides.append(repeating: 0, count: 2 * rows)
    }

    /// Whether side `side` of row `index` reports its amount z-score (set by the row, read by the scatter).
    @inline(__always)
    func zScoreReported(_ index: Int, side: Int) -> UnsafeMutablePointer<UInt8> { zScoreSides.pointer(2 &* index &+ side) }

    /// The pending logs of row `index` of the chunk (< ``capacity``).
    @inline(__always)
    func logs(_ index: Int) -> UnsafeMutablePointer<Float> { pendingLogs.pointer(index &* Self.logStride) }

    /// The pending moments record of row `index` of the chunk (< ``capacity``).
    @inline(__always)
    func moments(_ index: Int) -> UnsafeMutablePointer<Float> { pendingMoments.pointer(index &* VectorMath.momentsRecord) }

    /// log1p(max(amount, 0)) of row `index` of the chunk, after ``logInputs(of:rows:kernel:)``.
    @inline(__always)
    func amountLog(_ index: Int) -> Float { inputs[index] }

    /// log1p(max(gas price, 0)) of row `index` of the chunk, after ``logInputs(of:rows:kernel:)``.
    @inline(__always)
    func gasLog(_ index: Int) -> Float { inputs[capacity &+ index] }

    /// Takes log1p of the amounts and gas prices of `rows` (at most ``capacity`` rows of `batch`).
    @inline(__always)
    func logInputs(of batch: TxBatch, rows: Range<Int>, kernel: SIMDKernel) {
        precondition(rows.count <= capacity && rows.upperBound <= batch.count, "chunk out of range")
        let amounts = inputs.pointer(0), gas = inputs.pointer(capacity)
        batch.amount.withUnsafeBufferPointer { amount in
            batch.gasPrice.withUnsafeBufferPointer { gasPrice in
                for index in 0 ..< rows.count {
                    amounts[index] = Float(max(amount[rows.lowerBound &+ index], 0))
                    gas[index] = max(gasPrice[rows.lowerBound &+ index], 0)
                }
            }
        }
        // A last, shorter chunk: the lanes past it stay 0 (their logs are never read).
        for index in rows.count ..< capacity {
            amounts[index] = 0
            gas[index] = 0
        }
        Self.log1p(amounts, count: 2 * capacity, kernel: kernel)
    }

    /// Transforms the pending values of the first `rows` rows: logs to their log1p, moments to the
    /// reported ones (shrinkage prior `shrinkWeight`).
    @inline(__always)
    func transform(rows: Int, shrinkWeight: Float, kernel: SIMDKernel) {
        Self.log1p(pendingLogs.pointer(0), count: rows &* Self.logStride, kernel: kernel)
        let moments = pendingMoments.pointer(0)
        if kernel == .avx2 {
            VectorMathAVX2.shrunkMoments(inPlace: moments, count: rows, shrinkWeight: shrinkWeight)
        } else {
            VectorMath.shrunkMoments(inPlace: moments, count: rows, shrinkWeight: shrinkWeight)
        }
    }

    @inline(__always)
    private static func log1p(_ values: UnsafeMutablePointer<Float>, count: Int, kernel: SIMDKernel) {
        if kernel == .avx2 {
            VectorMathAVX2.log1p(inPlace: values, count: count)
        } else {
            VectorMath.log1p(inPlace: values, count: count)
        }
    }
}
