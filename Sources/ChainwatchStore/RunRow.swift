/// One row of the `runs` table, as read back for `chainwatch stats`.
public struct RunRow: Sendable, Equatable {
    public var id: Int64
    public var command: String
    /// ISO-8601 UTC wall-clock time.
    public var startedAt: String
    public var finishedAt: String?
    /// `running`, `completed`, `interrupted` or `failed`.
    public var status: String
    /// JSON array of input names.
    public var inputsJSON: String
    /// JSON object of the effective settings.
    public var settingsJSON: String
    public var modelID: String?
    public var stats: RunStats
    public var error: String?

    public init(
        id: Int64, command: String, startedAt: String, finishedAt: String?, status: String, inputsJSON: String,
        settingsJSON: String, modelID: String?, stats: RunStats, error: String?
    ) {
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.inputsJSON = inputsJSON
        self.settingsJSON = settingsJSON
        self.modelID = modelID
        self.stats = stats
        self.error = error
    }
}
