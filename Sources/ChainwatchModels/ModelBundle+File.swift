import ChainwatchCore
import Foundation

/// The on-disk model directory, format version 1:
///
///     <dir>/model.json    metadata (UTF-8 JSON, sorted keys):
///       format: "chainwatch-model", format_version: 1, id, feature_names [d], catalogue_hash,
///       trained_on, training_note, forest {trees, subsample_size, height_limit, extended, dimensions},
///       autoencoder {layer_sizes, activation}, calibration {compression}, standardizer {clip},
///       weights_file: "weights.bin", weights_fnv1a64: 16 hex digits of FNV-1a-64 of weights.bin
///     <dir>/weights.bin   every number, little-endian sections (`_SectionWriter`: "CWWEIGHT", u32 version,
///       u32 count, then per section u16 name length, name, u8 type 1=f32 2=f64 3=i32, u64 count, payload):
///       standardizer.{mean,std,typical_low,typical_high} f32[d]
///       forest.feature i32[T·(2^L−1)], forest.threshold f32[T·(2^L−1)] (+∞ = pass-through),
///       forest.normals f32[T·(2^L−1)·d] (empty unless extended), forest.leaf_path_length f32[T·2^L]
///       autoencoder.parameters f32[…] (layer by layer: W out×in row-major, then b)
///       calibration.{forest,autoencoder,ensemble}.{means,weights} f64[c], ….extremes f64[2] (min, max)
///
/// Numbers live only in the binary file, as IEEE bit patterns, so a reload scores bit for bit the same.
/// `id` = "cw-" + first 12 hex of FNV-1a-64(weights.bin ‖ catalogue hash): retraining changes it.
extension ModelBundle {
    /// Writes `model.json` and `weights.bin` into `directory`, creating it if needed.
    public func save(to directory: String) throws(ChainwatchError) {
        let weights = weightsFile()
        let manifest = _ModelManifest(bundle: self, weightsHash: _FNV1a64.hex(_FNV1a64.hash(weights)))
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let url = URL(fileURLWithPath: directory)
            try Data(weights).write(to: url.appendingPathComponent("weights.bin"), options: .atomic)
            try encoder.encode(manifest).write(to: url.appendingPathComponent("model.json"), options: .atomic)
        } catch {
            throw ChainwatchError(.badModelFile, "cannot write the model", context: directory, cause: error)
        }
    }

    /// Reads a model directory written by ``save(to:)``.
    ///
    /// - Throws: `.badModelFile` when a file is missing, unreadable, corrupt (checksum, sections, shapes) or of
    ///   an unknown format version; `.modelMismatch` when it was trained on another feature catalogue.
    public static func load(from directory: String, expectedCatalogueHash: String) throws(ChainwatchError) -> ModelBundle {
        let url = URL(fileURLWithPath: directory)
        let manifestData: Data
        do { manifestData = try Data(contentsOf: url.appendingPathComponent("model.json")) } catch {
            throw ChainwatchError(.badModelFile, "no readable model.json in the model directory", context: directory, cause: error)
        }
        let manifest: _ModelManifest
        do { manifest = try JSONDecoder().decode(_ModelManifest.self, from: manifestData) } catch {
            throw ChainwatchError(.badModelFile, "model.json is not a chainwatch model description", context: directory, cause: error)
        }
        guard manifest.format == "chainwatch-model", manifest.formatVersion == currentFormatVersion else {
            throw ChainwatchError(.badModelFile, "unknown model format version \(manifest.formatVersion) (this build reads \(currentFormatVersion))", context: directory)
        }
        guard manifest.catalogueHash == expectedCatalogueHash else {
            throw ChainwatchError(.modelMismatch, "model was trained on feature catalogue \(manifest.catalogueHash), the feature engine has \(expectedCatalogueHash); retrain the model", context: directory)
        }
        guard !manifest.weightsFile.isEmpty, !manifest.weightsFile.contains("/"), manifest.weightsFile != ".." else {
            throw ChainwatchError(.badModelFile, "weights_file must name a file inside the model directory", context: directory)
        }
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url.appendingPathComponent(manifest.weightsFile))) } catch {
            throw ChainwatchError(.badModelFile, "cannot read \(manifest.weightsFile)", context: directory, cause: error)
        }
        guard _FNV1a64.hex(_FNV1a64.hash(bytes)) == manifest.weightsFNV1a64 else {
            throw ChainwatchError(.badModelFile, "\(manifest.weightsFile) does not match its checksum in model.json", context: directory)
        }
        let bundle: ModelBundle
        do throws(_SectionReader.Failure) {
            bundle = try manifest.bundle(weights: _SectionReader(bytes: bytes))
        } catch {
            switch error {
            case let .malformed(message): throw ChainwatchError(.badModelFile, message, context: directory)
            }
        }
        guard bundle.id == manifest.id else {
            throw ChainwatchError(.badModelFile, "model id \(manifest.id) does not match its content (\(bundle.id))", context: directory)
        }
        return bundle
    }

    /// The `weights.bin` bytes for this bundle.
    func weightsFile() -> [UInt8] {
        var writer = _SectionWriter()
        writer.add("standardizer.mean", standardizer.mean)
        writer.add("standardizer.std", standardizer.std)
        writer.add("standardizer.typical_low", standardizer.typicalLow)
        writer.add("standardizer.typical_high", standardizer.typicalHigh)
        writer.add("forest.feature", forest.feature)
        writer.add("forest.threshold", forest.threshold)
        writer.add("forest.normals", forest.normals)
        writer.add("forest.leaf_path_length", forest.leafPathLength)
        writer.add("autoencoder.parameters", autoencoder.parameters)
        for (name, calibrator) in [("forest", calibrators.forest), ("autoencoder", calibrators.autoencoder),
                                   ("ensemble", calibrators.ensemble.calibrator)] {
            var flushed = calibrator
            flushed.flush()
            writer.add("calibration.\(name).means", flushed.sketch.means)
            writer.add("calibration.\(name).weights", flushed.sketch.weights)
            writer.add("calibration.\(name).extremes", [flushed.sketch.minimum, flushed.sketch.maximum])
        }
        return writer.finished(version: UInt32(ModelBundle.currentFormatVersion))
    }
}
