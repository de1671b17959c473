/// `model.json` as Codable (field list in `ModelBundle+File.swift`); numbers that must round-trip exactly
/// are not here but in `weights.bin`.
struct _ModelManifest: Codable {
    struct Forest: Codable {
        var trees: Int, subsampleSize: Int, heightLimit: Int, extended: Bool, dimensions: Int
        enum CodingKeys: String, CodingKey {
            case trees, subsampleSize = "subsample_size", heightLimit = "height_limit", extended, dimensions
        }
    }

    struct Network: Codable {
        var layerSizes: [Int], activation: String
        enum CodingKeys: String, CodingKey { case layerSizes = "layer_sizes", activation }
    }

    struct Calibration: Codable { var compression: Double }
    struct Scaling: Codable { var clip: Float }

    var format: String
    var formatVersion: Int
    var id: String
    var featureNames: [String]
    var catalogueHash: String
    var trainedOn: Int
    var trainingNote: String
    var standardizer: Scaling
    var forest: Forest
    var autoencoder: Network
    var calibration: Calibration
    var weightsFile: String
    var weightsFNV1a64: String

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", id, featureNames = "feature_names"
        case catalogueHash = "catalogue_hash", trainedOn = "trained_on", trainingNote = "training_note"
        case standardizer, forest, autoencoder, calibration
        case weightsFile = "weights_file", weightsFNV1a64 = "weights_fnv1a64"
    }

    init(bundle: ModelBundle, weightsHash: String) {
        format = "chainwatch-model"
        formatVersion = bundle.formatVersion
        id = bundle.id
        featureNames = bundle.featureNames
        catalogueHash = bundle.catalogueHash
        trainedOn = bundle.trainedOn
        trainingNote = bundle.trainingNote
        standardizer = Scaling(clip: bundle.standardizer.clip)
        let f = bundle.forest
        forest = Forest(trees: f.treeCount, subsampleSize: f.subsampleSize, heightLimit: f.heightLimit,
                        extended: f.extended, dimensions: f.dimensions)
        autoencoder = Network(layerSizes: bundle.autoencoder.layerSizes, activation: bundle.autoencoder.activation.rawValue)
        calibration = Calibration(compression: bundle.calibrators.forest.sketch.compression)
        weightsFile = "weights.bin"
        weightsFNV1a64 = weightsHash
    }

    /// Rebuilds the bundle, checking every shape before any precondition could trap.
    func bundle(weights: _SectionReader) throws(_SectionReader.Failure) -> ModelBundle {
        let d = featureNames.count
        guard d > 0, forest.dimensions == d else { throw .malformed("feature names and forest dimensions disagree") }
        guard weights.version == UInt32(formatVersion) else { throw .malformed("weights.bin has version \(weights.version)") }
        let scaling = Standardizer(mean: try weights.floats("standardizer.mean", count: d),
                                   std: try weights.floats("standardizer.std", count: d),
                                   typicalLow: try weights.floats("standardizer.typical_low", count: d),
                                   typicalHigh: try weights.floats("standardizer.typical_high", count: d),
                                   clip: standardizer.clip)

        guard forest.trees > 0, (1 ... 24).contains(forest.heightLimit), forest.subsampleSize > 0 else {
            throw .malformed("forest shape out of range")
        }
        let internalSlots = forest.trees * ((1 << forest.heightLimit) - 1)
        let features = try weights.int32s("forest.feature", count: internalSlots)
        guard features.allSatisfy({ $0 >= 0 && Int($0) < d }) else { throw .malformed("forest feature index out of range") }
        let trees = IsolationForest(
            dimensions: d, treeCount: forest.trees, subsampleSize: forest.subsampleSize, heightLimit: forest.heightLimit,
            extended: forest.extended, feature: features,
            threshold: try weights.floats("forest.threshold", count: internalSlots),
            normals: try weights.floats("forest.normals", count: forest.extended ? internalSlots * d : 0),
            leafPathLength: try weights.floats("forest.leaf_path_length", count: forest.trees << forest.heightLimit))

        let sizes = autoencoder.layerSizes
        guard sizes.count >= 2, sizes.first == d, sizes.last == d, sizes.allSatisfy({ $0 > 0 }),
              let activation = Autoencoder.Activation(rawValue: autoencoder.activation) else {
            throw .malformed("autoencoder shape or activation not understood")
        }
        let network = Autoencoder(layerSizes: sizes, activation: activation,
                                  parameters: try weights.floats("autoencoder.parameters",
                                                                 count: Autoencoder.parameterCount(sizes)))

        func calibrator(_ name: String) throws(_SectionReader.Failure) -> Calibrator {
            let means = try weights.doubles("calibration.\(name).means")
            let counts = try weights.doubles("calibration.\(name).weights", count: means.count)
            let extremes = try weights.doubles("calibration.\(name).extremes", count: 2)
            guard calibration.compression >= 10 else { throw .malformed("calibration compression out of range") }
            return Calibrator(sketch: QuantileSketch(compression: calibration.compression, means: means, weights: counts,
                                                     minimum: extremes[0], maximum: extremes[1]))
        }
        let calibrators = ModelBundle.Calibrators(forest: try calibrator("forest"),
                                                  autoencoder: try calibrator("autoencoder"),
                                                  ensemble: Ensemble(calibrator: try calibrator("ensemble")))
        return ModelBundle(featureNames: featureNames, catalogueHash: catalogueHash, standardizer: scaling,
                           forest: trees, autoencoder: network, calibrators: calibrators, trainedOn: trainedOn,
                           trainingNote: trainingNote)
    }
}
