/// What typology alerts share about their evidence.
enum _Evidence {
    /// Evidence lists are capped at this many entries (the most recent ones, which include the alerting row);
    /// the full length is reported beside them.
    static let listCap = 20
}
