import ArgumentParser
import ChainwatchCore
import ChainwatchModels
import Foundation

extension Chainwatch {
    struct Typologies: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the typology detector settings `run` and `replay` would use, as JSON.",
            discussion: """
                The defaults, with the overrides of `--typology-config FILE` when given (checked the same way). \
                Every key is listed, so the output is a starting point for a configuration file: keep only what \
                you change. The rules are described in the README (Detectors).
                """
        )

        @Option(help: ArgumentHelp("JSON file with typology detector settings to apply over the defaults.", valueName: "file"))
        var typologyConfig: String?

        func run() throws {
            do {
                let configuration =
                    if let typologyConfig { try TypologySuite.Configuration(jsonFile: typologyConfig) } else { TypologySuite.Configuration() }
                print(try Self.json(configuration))
            } catch let error as ChainwatchError {
                throw Stderr.failure(error)
            }
        }

        /// The configuration as pretty-printed JSON with sorted keys (stable output for diffs).
        static func json(_ configuration: TypologySuite.Configuration) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(configuration), as: UTF8.self)
        }
    }
}
