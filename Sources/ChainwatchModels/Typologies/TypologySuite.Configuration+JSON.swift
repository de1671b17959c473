import ChainwatchCore
import Foundation

extension TypologySuite.Configuration {
    /// Reads a configuration file: a JSON object whose keys override the defaults, at any depth.
    ///
    /// - Throws: `.unreadableInput` when the file cannot be read; `.invalidArgument` when it is not a JSON
    ///   object, names an unknown key or detector, has a value of the wrong type, or a value out of range.
    public init(jsonFile path: String) throws(ChainwatchError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ChainwatchError(.unreadableInput, "cannot read the typology configuration", context: path, cause: error)
        }
        try self.init(json: data, source: path)
    }

    /// Parses configuration JSON text (see ``init(jsonFile:)``); `source` names it in errors.
    public init(json data: Data, source: String = "typology configuration") throws(ChainwatchError) {
        func invalid(_ message: String, _ cause: (any Error)? = nil) -> ChainwatchError {
            ChainwatchError(.invalidArgument, message, context: source, cause: cause)
        }
        let overrides: Any
        do {
            overrides = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw invalid("the typology configuration is not valid JSON", error)
        }
        guard let overrides = overrides as? [String: Any] else { throw invalid("the typology configuration must be a JSON object") }
        let merged: Any
        do {
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self()))
            merged = try Self.merge(overrides, into: defaults, path: "")
        } catch let error as ChainwatchError {
            throw ChainwatchError(error.code, error.message, context: source)
        } catch {
            throw invalid("cannot merge the typology configuration", error)
        }
        do {
            self = try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw invalid("a value in the typology configuration has the wrong type", error)
        }
        if let problem = validationProblem() { throw invalid(problem) }
    }

    /// Overlays `overrides` on `defaults`; object keys must already exist in `defaults`.
    private static func merge(_ overrides: Any, into defaults: Any, path: String) throws -> Any {
        guard let overrideObject = overrides as? [String: Any], let defaultObject = defaults as? [String: Any] else {
            return overrides
        }
        var result = defaultObject
        for (key, value) in overrideObject {
            let keyPath = path.isEmpty ? key : path + "." + key
            guard let existing = defaultObject[key] else {
                throw ChainwatchError(.invalidArgument, "unknown key \"\(keyPath)\" in the typology configuration")
            }
            result[key] = try merge(value, into: existing, path: keyPath)
        }
        return result
    }

    /// A description of the first out-of-range value, or `nil` when the configuration is usable.
    func validationProblem() -> String? {
        for name in enabled where !TypologySuite.detectorNames.contains(name) {
            return "unknown typology detector \"\(name)\" (known: \(TypologySuite.detectorNames.joined(separator: ", ")))"
        }
        let counts = [
            ("peelChain.minHops", peelChain.minHops), ("fanOut.minCounterparties", fanOut.minCounterparties),
            ("fanIn.minCounterparties", fanIn.minCounterparties), ("structuring.minTransfers", structuring.minTransfers),
            ("dusting.minRecipients", dusting.minRecipients), ("burst.minCount", burst.minCount),
            ("addressPoisoning.matchHexDigits", addressPoisoning.matchHexDigits),
            ("passThrough.maxPendingPerAccount", passThrough.maxPendingPerAccount),
            ("washCycle.maxIncomingPerAccount", washCycle.maxIncomingPerAccount),
        ]
        for (key, value) in counts where value < 1 { return "\(key) must be at least 1" }
        if addressPoisoning.matchHexDigits > 16 { return "addressPoisoning.matchHexDigits must be at most 16" }
        let caps = [
            peelChain.maxTracked, fanOut.maxTracked, fanIn.maxTracked, structuring.maxTracked, passThrough.maxTracked,
            dusting.maxTracked, addressPoisoning.maxTracked, burst.maxTracked, washCycle.maxTracked,
        ]
        if caps.contains(where: { $0 < 2 }) { return "every maxTracked must be at least 2" }
        let windows = [
            peelChain.maxGapSeconds, fanOut.windowSeconds, fanIn.windowSeconds, structuring.windowSeconds,
            passThrough.maxBlocks, dusting.windowSeconds, addressPoisoning.windowSeconds, burst.windowBlocks,
            washCycle.windowSeconds, fanOut.noveltySeconds, fanIn.noveltySeconds,
        ]
        if windows.contains(where: { $0 < 0 }) { return "windows and gaps must not be negative" }
        if !(0 ..< 1).contains(passThrough.tolerance) || !(0 ..< 1).contains(washCycle.tolerance)
            || !(0 ..< 1).contains(structuring.belowFraction)
        {
            return "tolerances and structuring.belowFraction must be in [0, 1)"
        }
        if !(peelChain.minRatio > 0 && peelChain.minRatio <= peelChain.maxRatio) {
            return "peelChain needs 0 < minRatio ≤ maxRatio"
        }
        if !(burst.halfLifeBlocks > 0) || burst.minRatio < 0 { return "burst needs halfLifeBlocks > 0 and minRatio ≥ 0" }
        return nil
    }
}
