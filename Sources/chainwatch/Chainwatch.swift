import ArgumentParser

@main
struct Chainwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chainwatch",
        abstract: "Real-time transaction anomaly detection for blockchain exports."
    )
}
