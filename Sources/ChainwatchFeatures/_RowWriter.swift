/// Write access to the feature matrix of one batch while ``FeatureEngine/process(_:into:)`` runs.
///
/// Wraps the matrix buffer for the duration of one `withUnsafeMutableBufferPointer` call and must not
/// escape it. Writing through it skips the array's uniqueness check on each of the ~40 stores per row
/// and keeps the row loop free of array bookkeeping; callers form indices with wrapping arithmetic
/// (they are small offsets into one row). Indices are checked in debug builds.
struct _RowWriter {
    private let base: UnsafeMutablePointer<Float>?
    private let count: Int

    init(_ buffer: UnsafeMutableBufferPointer<Float>) {
        base = buffer.baseAddress
        count = buffer.count
    }

    @inline(__always)
    subscript(index: Int) -> Float {
        get {
            assert(index >= 0 && index < count, "feature index out of range")
            return base.unsafelyUnwrapped[index]
        }
        nonmutating set {
            assert(index >= 0 && index < count, "feature index out of range")
            base.unsafelyUnwrapped[index] = newValue
        }
    }

    /// Writes lane `lane` of two vectors to `index` and `index + 1`.
    @inline(__always)
    func writeLane(_ a: SIMD4<Float>, _ b: SIMD4<Float>, lane: Int, at index: Int) {
        self[index] = a[lane]
        self[index &+ 1] = b[lane]
    }
}
