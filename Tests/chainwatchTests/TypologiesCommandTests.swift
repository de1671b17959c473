import ChainwatchModels
import Foundation
import Testing
import _ChainwatchTestSupport

/// `chainwatch typologies`: the effective typology settings as JSON, read back by `--typology-config`.
struct TypologiesCommandTests {
    @Test func printsTheDefaultsAsAConfigurationFile() throws {
        let result = try CLIRunner.run(["typologies"])
        #expect(result.status == 0)
        let printed = try TypologySuite.Configuration(json: Data(result.stdout.utf8))
        #expect(printed == TypologySuite.Configuration())
    }

    @Test func appliesTheFileOverTheDefaults() throws {
        let file = Fixtures.makeTemporaryDirectory("cw-typologies").appendingPathComponent("typologies.json")
        try Data(#"{"fanOut": {"minCounterparties": 25}, "enabled": ["fan_out"]}"#.utf8).write(to: file)
        let result = try CLIRunner.run(["typologies", "--typology-config", file.path])
        #expect(result.status == 0)
        var expected = TypologySuite.Configuration()
        expected.fanOut.minCounterparties = 25
        expected.enabled = ["fan_out"]
        #expect(try TypologySuite.Configuration(json: Data(result.stdout.utf8)) == expected)
    }

    @Test func aBadFileIsOneErrorLine() throws {
        let file = Fixtures.makeTemporaryDirectory("cw-typologies").appendingPathComponent("typologies.json")
        try Data(#"{"fanOut": {"minimum": 25}}"#.utf8).write(to: file)
        let result = try CLIRunner.run(["typologies", "--typology-config", file.path])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(#"unknown key "fanOut.minimum""#))
    }
}
