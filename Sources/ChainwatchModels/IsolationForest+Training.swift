import ChainwatchCore
import RealModule

/// One tree as grown, before flattening: the textbook recursive form (Liu et al. 2008, Algorithm 2).
///
/// Training grows these, then `IsolationForest.init(flattening:)` lays them out in arrays. Tests walk them
/// recursively as an independent reference for the flattened scoring kernels.
indirect enum _IsolationTreeNode: Sendable {
    /// A leaf holding `size` training samples, at the depth where it sits.
    case external(size: Int)
    /// Go right when `value ≥ threshold`, where value is `x[feature]` (axis-parallel) or `normal · x` (extended).
    case split(feature: Int, normal: [Float], threshold: Float, left: _IsolationTreeNode, right: _IsolationTreeNode)
}

extension IsolationForest {
    /// Trains on `data` (use the same feature space at scoring time). Deterministic for a seed.
    ///
    /// Each tree draws its own subsample of `ψ = min(sampleSize, rows)` rows without replacement and is grown
    /// to `ceil(log2 ψ)`. Axis-parallel splits pick the feature uniformly among the features that are not
    /// constant in the node (a node where every feature is constant becomes a leaf) and the split value
    /// uniformly in (min, max]. Extended splits draw a normal with every component N(0, 1) and an intercept
    /// point uniformly in the node's bounding box; as in Hariri et al., a side may be empty.
    /// Cost: O(trees · ψ · log ψ · d); 100 × 256 on d = 40 takes milliseconds.
    public static func train(_ data: FeatureMatrix, configuration: Configuration) -> IsolationForest {
        let (roots, psi, height) = growTrees(data, configuration: configuration)
        return IsolationForest(flattening: roots, dimensions: data.dimensions, subsampleSize: psi,
                               heightLimit: height, extended: configuration.extended)
    }

    static func heightLimit(forSubsample psi: Int) -> Int {
        var height = 0
        while (1 << height) < psi { height += 1 }
        return max(height, 1)
    }

    /// Grows the recursive trees (exposed to tests as the reference for flattening).
    static func growTrees(_ data: FeatureMatrix, configuration: Configuration)
        -> (roots: [_IsolationTreeNode], subsampleSize: Int, heightLimit: Int) {
        precondition(data.rows > 0, "cannot train an isolation forest on no rows")
        let psi = min(configuration.sampleSize, data.rows)
        let height = heightLimit(forSubsample: psi)
        var master = _SplitMix64(seed: configuration.seed)
        var roots: [_IsolationTreeNode] = []
        roots.reserveCapacity(configuration.trees)
        var pool = Array(0 ..< data.rows)
        for _ in 0 ..< configuration.trees {
            var rng = master.split()
            for i in 0 ..< psi {                       // partial Fisher–Yates: first ψ entries are the sample
                let j = i + rng.below(data.rows - i)
                pool.swapAt(i, j)
            }
            var sample = Array(pool[0 ..< psi])
            var grower = _TreeGrower(data: data, heightLimit: height, extended: configuration.extended, rng: rng)
            roots.append(grower.grow(&sample[...], depth: 0))
        }
        return (roots, psi, height)
    }
}

/// Recursive growth of one tree over a slice of row indices that it partitions in place.
private struct _TreeGrower {
    let data: FeatureMatrix
    let heightLimit: Int
    let extended: Bool
    var rng: _SplitMix64

    init(data: FeatureMatrix, heightLimit: Int, extended: Bool, rng: _SplitMix64) {
        self.data = data
        self.heightLimit = heightLimit
        self.extended = extended
        self.rng = rng
    }

    mutating func grow(_ rows: inout ArraySlice<Int>, depth: Int) -> _IsolationTreeNode {
        if depth >= heightLimit || rows.count <= 1 { return .external(size: rows.count) }
        let d = data.dimensions
        var low = [Float](repeating: .infinity, count: d)
        var high = [Float](repeating: -.infinity, count: d)
        for r in rows {
            for j in 0 ..< d {
                let v = data.values[r * d + j]
                if v < low[j] { low[j] = v }
                if v > high[j] { high[j] = v }
            }
        }
        let varying = (0 ..< d).filter { low[$0] < high[$0] }
        if varying.isEmpty { return .external(size: rows.count) }

        let feature: Int
        let normal: [Float]
        let threshold: Float
        if extended {
            feature = 0
            normal = (0 ..< d).map { _ in Float(rng.gaussian()) }
            var point = [Float](repeating: 0, count: d)
            for j in 0 ..< d { point[j] = Self.uniform(low[j], high[j], &rng) }
            threshold = Self.dot(normal, point, 0, d)
        } else {
            feature = varying[rng.below(varying.count)]
            normal = []
            threshold = Self.uniform(low[feature], high[feature], &rng)
        }
        // Partition: value < threshold to the front.
        var boundary = rows.startIndex
        for k in rows.indices {
            let r = rows[k]
            let value = extended ? Self.dot(normal, data.values, r * d, d) : data.values[r * d + feature]
            if value < threshold { rows.swapAt(boundary, k); boundary += 1 }
        }
        var left = rows[rows.startIndex ..< boundary]
        var right = rows[boundary ..< rows.endIndex]
        let leftNode = grow(&left, depth: depth + 1)
        let rightNode = grow(&right, depth: depth + 1)
        return .split(feature: feature, normal: normal, threshold: threshold, left: leftNode, right: rightNode)
    }

    /// Uniform in (low, high] for low < high (so both sides of an axis split are non-empty); `low` if equal.
    static func uniform(_ low: Float, _ high: Float, _ rng: inout _SplitMix64) -> Float {
        guard low < high else { return low }
        var p = Float(Double(low) + rng.unit() * (Double(high) - Double(low)))
        if p <= low { p = low.nextUp }
        if p > high { p = high }
        return p
    }

    /// `normal · values[offset ..< offset + count]` via ``IsolationForest/hyperplaneDot(_:_:_:)``, the
    /// same summation order scoring uses, so training partitions and scoring walks agree exactly.
    static func dot(_ normal: [Float], _ values: [Float], _ offset: Int, _ count: Int) -> Float {
        normal.withUnsafeBufferPointer { n in
            values.withUnsafeBufferPointer { v in IsolationForest.hyperplaneDot(n.baseAddress!, v.baseAddress! + offset, count) }
        }
    }
}

extension IsolationForest {
    /// Lays recursive trees out in the implicit complete-tree arrays described on ``IsolationForest``.
    init(flattening roots: [_IsolationTreeNode], dimensions: Int, subsampleSize: Int, heightLimit: Int,
         extended: Bool) {
        let internalSlots = (1 << heightLimit) - 1
        let bottomSlots = 1 << heightLimit
        var feature = [Int32](repeating: 0, count: roots.count * internalSlots)
        var threshold = [Float](repeating: .infinity, count: roots.count * internalSlots)
        var normals = [Float](repeating: 0, count: extended ? roots.count * internalSlots * dimensions : 0)
        var leaves = [Float](repeating: 0, count: roots.count * bottomSlots)

        func place(_ node: _IsolationTreeNode, tree: Int, slot: Int, depth: Int) {
            switch node {
            case let .external(size):
                let value = Float(Double(depth) + IsolationForest.averagePathLength(size))
                fillPassThrough(tree: tree, slot: slot, depth: depth, value: value)
            case let .split(f, normal, t, left, right):
                let index = tree * internalSlots + slot
                feature[index] = Int32(f)
                threshold[index] = t
                if extended { for j in 0 ..< dimensions { normals[index * dimensions + j] = normal[j] } }
                place(left, tree: tree, slot: 2 * slot + 1, depth: depth + 1)
                place(right, tree: tree, slot: 2 * slot + 2, depth: depth + 1)
            }
        }
        // Internal slots default to pass-through (+∞); only the bottom values under a leaf need writing.
        func fillPassThrough(tree: Int, slot: Int, depth: Int, value: Float) {
            if depth == heightLimit {
                leaves[tree * bottomSlots + slot - internalSlots] = value
                return
            }
            fillPassThrough(tree: tree, slot: 2 * slot + 1, depth: depth + 1, value: value)
            fillPassThrough(tree: tree, slot: 2 * slot + 2, depth: depth + 1, value: value)
        }
        for (tree, root) in roots.enumerated() { place(root, tree: tree, slot: 0, depth: 0) }
        self.init(dimensions: dimensions, treeCount: roots.count, subsampleSize: subsampleSize,
                  heightLimit: heightLimit, extended: extended, feature: feature, threshold: threshold,
                  normals: normals, leafPathLength: leaves)
    }
}
