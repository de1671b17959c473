import Foundation

/// A HyperLogLog distinct counter (Flajolet et al. 2007) with a small fixed register array.
///
/// The engine keeps one register block per account inside a single flat `[UInt8]` (account stride =
/// register count), through the static ``insert(_:into:at:count:)`` / ``estimate(_:at:count:)``; this value
/// type wraps one block for standalone use and tests. One byte per register; 64 registers give a relative
/// standard error of 1.04/√64 ≈ 13 %, which is plenty for a log1p feature.
public struct HyperLogLog: Sendable, Equatable {
    public private(set) var registers: [UInt8]

    /// - Parameter registerCount: a power of two, 16…65,536.
    public init(registerCount: Int = 64) {
        precondition(registerCount.nonzeroBitCount == 1 && (16...65_536).contains(registerCount), "register count")
        registers = [UInt8](repeating: 0, count: registerCount)
    }

    /// Adds an item by its 64-bit hash (e.g. ``AccountKey/mixedHash``); it is re-mixed here.
    public mutating func insert(hash: UInt64) {
        Self.insert(hash, into: &registers, at: 0, count: registers.count)
    }

    /// Estimated number of distinct items inserted.
    public var estimate: Double { Self.estimate(registers, at: 0, count: registers.count) }

    /// Updates the register block `registers[base ..< base + count]`. Returns whether a register grew
    /// (so callers can cache the estimate). - Complexity: O(1).
    @inline(__always)
    @discardableResult
    public static func insert(_ hash: UInt64, into registers: inout [UInt8], at base: Int, count: Int) -> Bool {
        precondition(base >= 0 && base + count <= registers.count, "register block out of range")
        return registers.withUnsafeMutableBufferPointer {
            let (old, new) = raise(hash, block: $0.baseAddress! + base, count: count)
            return new != old
        }
    }

    /// Like ``insert(_:into:at:count:)`` on the `count` registers at `block`, returning the chosen
    /// register's rank before and after (equal when it did not grow), so a caller can keep Σ 2^−r and the
    /// zero count up to date instead of rescanning the block.
    ///
    /// Branch-free: the register is always written (with the larger rank). Whether a register grows is
    /// close to a coin toss per insert; as a branch it was mispredicted often enough to cost the feature
    /// engine ≈ 5 % of its time.
    @inline(__always)
    static func raise(_ hash: UInt64, block: UnsafeMutablePointer<UInt8>, count: Int) -> (old: UInt8, new: UInt8) {
        // A second finaliser so the register choice is independent of hash-table and sketch slots.
        var h = hash ^ 0x5851_f42d_4c95_7f2d
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        let bits = count.trailingZeroBitCount
        let index = Int(truncatingIfNeeded: h >> UInt64(64 - bits))
        let rest = (h << UInt64(bits)) | (1 << UInt64(bits - 1)) // guard bit bounds the rank
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        let old = block[index]
        let new = Swift.max(old, rank)
        block[index] = new
        return (old, new)
    }

    /// 2^−r, exact (the float bit pattern (127 − r) << 23; ranks are at most 65).
    @inline(__always)
    static func power(_ rank: UInt8) -> Float { Float(bitPattern: (127 &- UInt32(rank)) &<< 23) }

    /// The bias constant α_m of an m-register sketch.
    static func alpha(registerCount count: Int) -> Double {
        switch count {
        case 16: 0.673
        case 32: 0.697
        case 64: 0.709
        default: 0.7213 / (1 + 1.079 / Double(count))
        }
    }

    /// The HyperLogLog estimate with the small-range (linear counting) correction.
    /// - Complexity: O(count), 16 registers per SIMD step (exact: every 2^−r is a power of two).
    public static func estimate(_ registers: [UInt8], at base: Int, count: Int) -> Double {
        let m = Double(count)
        let alpha = Self.alpha(registerCount: count)
        // Fast path, same result: every zero register adds exactly 1 to the sum (and the Float sum is
        // monotone in its terms), so sum ≥ zeros and raw ≤ α·m²/zeros. When that bound is already
        // ≤ 2.5·m the linear-counting branch below is taken whatever the other registers hold.
        if count % 8 == 0 {
            let zeros = _FeatureKernels.zeroRegisterCount(registers, at: base, count: count)
            if zeros > 0, alpha * m * m / Double(zeros) <= 2.5 * m {
                return m * log(m / Double(zeros))
            }
        }
        let (sum, zeros) = _FeatureKernels.hyperLogLogSums(registers, at: base, count: count)
        return estimate(sum: Double(sum), zeros: zeros, count: count, alphaMM: alpha * m * m) { m * log(m / Double($0)) }
    }

    /// The estimate from a block's summary: Σ 2^−r over its registers (`sum`) and its zero registers.
    /// α·m²/Σ, or linear counting m·ln(m / zeros) (`linearCounting(zeros)`, which callers may tabulate)
    /// when that is at most 2.5·m and some register is still zero.
    @inline(__always)
    static func estimate(sum: Double, zeros: Int, count: Int, alphaMM: Double, linearCounting: (Int) -> Double) -> Double {
        let raw = alphaMM / sum
        return usesLinearCounting(raw: raw, zeros: zeros, count: count) ? linearCounting(zeros) : raw
    }

    /// Whether the small-range correction replaces the raw estimate `raw` of a `count`-register sketch
    /// with `zeros` zero registers.
    @inline(__always)
    static func usesLinearCounting(raw: Double, zeros: Int, count: Int) -> Bool {
        (raw <= 2.5 * Double(count)) && zeros > 0
    }
}

extension HyperLogLog {
    /// The relative standard error 1.04/√m of an m-register sketch.
    public static func standardError(registerCount: Int) -> Double { 1.04 / Double(registerCount).squareRoot() }
}
