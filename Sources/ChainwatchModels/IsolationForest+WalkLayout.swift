/// Integer order keys for the axis-parallel walk.
///
/// The walk compares `value ≥ threshold` at every step. As floats that is a `ucomiss` whose result reaches the
/// next step's address through the flags of the FP unit; as unsigned integers it is one `cmp` with a memory
/// operand and the borrow feeds `sbb` directly, which shortens every step's dependency chain (the walk is
/// latency-bound: see `IsolationForest+Scoring.swift`). The keys keep the exact float semantics:
///
/// - finite values and ±∞ keep their order: non-negative floats get the sign bit set, negative floats have
///   every bit flipped, so larger floats have larger unsigned keys;
/// - `−0` and `+0` get the same key (as floats `−0 ≥ +0` and `+0 ≥ −0` both hold);
/// - a NaN *value* gets key 0, below every threshold key, because `NaN ≥ t` is false: it goes left;
/// - a NaN *threshold* gets `UInt32.max`, above every value key, because `x ≥ NaN` is false: left again.
///
/// So `valueKey(x) ≥ thresholdKey(t)` exactly when `x ≥ t`, for every pair of floats (tests cover the
/// special values against the float walk).
extension IsolationForest {
    /// Order key of a row value (NaN → 0).
    @inline(__always)
    static func valueKey(_ value: Float) -> UInt32 {
        if value.isNaN { return 0 }
        if value == 0 { return 0x8000_0000 }
        let bits = value.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// Order key of a split threshold (NaN → `UInt32.max`).
    static func thresholdKey(_ threshold: Float) -> UInt32 {
        threshold.isNaN ? .max : valueKey(threshold)
    }

    /// `[feature₀, key₀, feature₁, key₁, …]`: one pair per internal slot, so a step reads its feature and
    /// threshold key from one 8-byte slot through one base register.
    static func walkNodes(feature: [Int32], threshold: [Float]) -> [UInt32] {
        var nodes = [UInt32](repeating: 0, count: 2 * feature.count)
        for slot in feature.indices {
            nodes[2 * slot] = UInt32(bitPattern: feature[slot])
            nodes[2 * slot + 1] = thresholdKey(threshold[slot])
        }
        return nodes
    }

    /// Writes the order keys of `count` values from `source` to `destination` (four at a time, same keys
    /// as ``valueKey(_:)``).
    @inline(__always)
    static func storeValueKeys(_ source: UnsafePointer<Float>, count: Int, to destination: UnsafeMutablePointer<UInt32>) {
        typealias Keys = SIMD4<UInt32>
        var j = 0
        while j &+ 4 <= count {
            let values = UnsafeRawPointer(source + j).loadUnaligned(as: SIMD4<Float>.self)
            let bits = unsafeBitCast(values, to: Keys.self)
            // All ones where the sign is set, else zero; then flip everything or only the sign bit.
            let negative = unsafeBitCast(unsafeBitCast(bits, to: SIMD4<Int32>.self) &>> 31, to: Keys.self)
            var keys = bits ^ (negative | Keys(repeating: 0x8000_0000))
            keys.replace(with: Keys(repeating: 0x8000_0000), where: values .== SIMD4<Float>())
            keys.replace(with: Keys(), where: values .!= values)
            UnsafeMutableRawPointer(destination + j).storeBytes(of: keys, as: Keys.self)
            j &+= 4
        }
        while j < count {
            destination[j] = valueKey(source[j])
            j &+= 1
        }
    }
}
