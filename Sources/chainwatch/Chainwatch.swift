import ArgumentParser
import ChainwatchCore

@main
struct Chainwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chainwatch",
        abstract: "Real-time transaction anomaly detection for blockchain exports.",
        discussion: """
            Pipe an ethereum-etl export in, get explained alerts in SQLite, tail them:
              chainwatch run SampleStreams/ethereum/transactions_17173049_17173050.csv
              chainwatch alerts --follow
            """,
        version: ChainwatchVersion.current,
        subcommands: [Run.self, Alerts.self, Replay.self, Train.self, Features.self, Generate.self, Typologies.self]
    )
}

enum ChainwatchVersion {
    static let current = "0.1.0"
}
