import ChainwatchCore
import RealModule

/// A small fully connected autoencoder `d → 16 → 8 → 16 → d` (hidden sizes configurable) whose score is the
/// mean squared reconstruction error of a row: rows unlike the training bulk reconstruct badly.
///
/// Contract: inputs are **already standardized** (``Standardizer``; a ``ModelBundle`` does this) so every
/// feature weighs the same in the error. Hidden layers use ReLU (default) or tanh, the output is linear.
/// Parameters live in one flat array, layer after layer, each layer as its `out × in` weights (row-major,
/// row = output unit) followed by its `out` biases:
///
///     [W₀ (h₁×d) | b₀ (h₁) | W₁ (h₂×h₁) | b₁ (h₂) | … | W_last (d×h_last) | b_last (d)]
///
/// One flat array makes Adam, serialization and the weights hash single loops. Scoring many rows goes
/// through the SIMD16 kernels (`Autoencoder+Scoring.swift`); ``reconstruct(row:)`` is the scalar reference.
public struct Autoencoder: Sendable, Equatable {
    public enum Activation: String, Sendable, Equatable {
        case relu, tanh
    }

    public struct Configuration: Sendable, Equatable {
        public var hidden: [Int]
        public var activation: Activation
        public var epochs: Int
        public var batchSize: Int
        public var learningRate: Float
        public var seed: UInt64

        public init(hidden: [Int] = [16, 8, 16], activation: Activation = .relu, epochs: Int = 20,
                    batchSize: Int = 256, learningRate: Float = 1e-3, seed: UInt64) {
            precondition(!hidden.isEmpty && hidden.allSatisfy { $0 > 0 }, "hidden layer sizes must be positive")
            precondition(epochs >= 0 && batchSize > 0 && learningRate > 0, "training settings out of range")
            self.hidden = hidden
            self.activation = activation
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.seed = seed
        }
    }

    /// `[d, hidden…, d]`.
    public let layerSizes: [Int]
    public let activation: Activation
    public internal(set) var parameters: [Float] {
        didSet { broadcastParameters = Autoencoder.broadcast(parameters) }
    }
    /// ``parameters`` with each value repeated in four lanes, for the SSE2 scoring kernel
    /// (`Autoencoder+Scoring.swift`): a weight is then one aligned load there instead of a load and a shuffle
    /// on the FP ports, which are the kernel's bottleneck (the AVX2 kernel broadcasts from ``parameters`` with
    /// one load). Kept in step with `parameters` (26 KB at 40-16-8-16-40).
    private(set) var broadcastParameters: [SIMD4<Float>]

    public var dimensions: Int { layerSizes[0] }
    var layerCount: Int { layerSizes.count - 1 }

    init(layerSizes: [Int], activation: Activation, parameters: [Float]) {
        precondition(layerSizes.count >= 2 && layerSizes.first == layerSizes.last, "an autoencoder maps d to d")
        precondition(parameters.count == Autoencoder.parameterCount(layerSizes), "parameter count disagrees with layers")
        self.layerSizes = layerSizes
        self.activation = activation
        self.parameters = parameters
        self.broadcastParameters = Autoencoder.broadcast(parameters)
    }

    static func broadcast(_ parameters: [Float]) -> [SIMD4<Float>] {
        parameters.map { SIMD4(repeating: $0) }
    }

    static func parameterCount(_ sizes: [Int]) -> Int {
        (0 ..< sizes.count - 1).reduce(0) { $0 + sizes[$1 + 1] * (sizes[$1] + 1) }
    }

    /// Offset of layer `l`'s weights in ``parameters``; its biases follow at `+ out × in`.
    func weightOffset(_ l: Int) -> Int {
        (0 ..< l).reduce(0) { $0 + layerSizes[$1 + 1] * (layerSizes[$1] + 1) }
    }

    /// Glorot-uniform weights (`±√(6/(in+out))`), zero biases, from a seeded generator.
    static func initialized(layerSizes: [Int], activation: Activation, rng: inout _SplitMix64) -> Autoencoder {
        var parameters: [Float] = []
        parameters.reserveCapacity(parameterCount(layerSizes))
        for l in 0 ..< layerSizes.count - 1 {
            let fanIn = layerSizes[l], fanOut = layerSizes[l + 1]
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            for _ in 0 ..< fanIn * fanOut { parameters.append(Float((rng.unit() * 2 - 1) * limit)) }
            parameters.append(contentsOf: repeatElement(0, count: fanOut))
        }
        return Autoencoder(layerSizes: layerSizes, activation: activation, parameters: parameters)
    }

    @inline(__always)
    static func activate(_ x: Float, _ activation: Activation) -> Float {
        switch activation {
        case .relu: x > 0 ? x : 0
        case .tanh: Float.tanh(x)
        }
    }

    /// All layer outputs for one row: `[input, hidden₁, …, output]` (scalar; training and reference).
    func activations(row: [Float]) -> [[Float]] {
        precondition(row.count == dimensions, "row has \(row.count) values, autoencoder expects \(dimensions)")
        var layers = [row]
        for l in 0 ..< layerCount {
            let n = layerSizes[l], m = layerSizes[l + 1]
            let w = weightOffset(l), b = w + m * n
            let input = layers[l]
            var output = [Float](repeating: 0, count: m)
            for o in 0 ..< m {
                var sum = parameters[b + o]
                for i in 0 ..< n { sum = sum + parameters[w + o * n + i] * input[i] }
                output[o] = l == layerCount - 1 ? sum : Autoencoder.activate(sum, activation)
            }
            layers.append(output)
        }
        return layers
    }

    /// The reconstruction of one standardized row (scalar reference for the SIMD kernels).
    public func reconstruct(row: [Float]) -> [Float] { activations(row: row).last! }

    /// Squared error per feature, `(x̂_j − x_j)²`, for explanations; its mean is the row's score.
    public func perFeatureError(row: [Float]) -> [Float] {
        let output = reconstruct(row: row)
        return (0 ..< dimensions).map { (output[$0] - row[$0]) * (output[$0] - row[$0]) }
    }

    /// Mean squared reconstruction error of one standardized row (scalar path).
    public func score(row: [Float]) -> Float {
        let errors = perFeatureError(row: row)
        var sum: Float = 0
        for e in errors { sum += e }
        return sum / Float(dimensions)
    }
}

extension Autoencoder {
    /// Per-feature credit for a standardized row's reconstruction error; non-negative, sums to 1.
    ///
    /// Rule (occlusion): `credit_j ∝ max(0, score(x) − score(x with x_j := 0))` — how much of the error goes
    /// away when feature j is reset to its training mean (0 after standardization). Raw per-feature errors
    /// (``perFeatureError(row:)``) can name the wrong feature: a deviation in a feature the code explains well
    /// is partly "reconstructed" into its correlated neighbours, which then carry the error. If no feature
    /// lowers the error, the shares of ``perFeatureError(row:)`` are returned. Cost: d + 1 scalar forwards.
    public func attribution(row: [Float]) -> [Float] {
        let base = score(row: row)
        var drops = [Double](repeating: 0, count: dimensions)
        var probe = row
        for j in 0 ..< dimensions {
            probe[j] = 0
            drops[j] = max(0, Double(base) - Double(score(row: probe)))
            probe[j] = row[j]
        }
        var total = drops.reduce(0, +)
        if total <= 0 {
            drops = perFeatureError(row: row).map(Double.init)
            total = drops.reduce(0, +)
        }
        guard total > 0 else { return [Float](repeating: 0, count: dimensions) }
        return drops.map { Float($0 / total) }
    }
}
