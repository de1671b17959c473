/// A known label for a transaction or an address (a hack, a mixer, an exchange), used to evaluate detectors.
///
/// Stored in the `labels` table; `(subject, kind, label, category)` is unique, with a `nil` category
/// counted as one value (so re-importing the same label file adds nothing).
public struct LabelRow: Sendable, Equatable {
    /// A transaction hash or an address, as text.
    public var subject: String
    /// `tx` or `address` (enforced by the schema).
    public var kind: String
    public var label: String
    public var category: String?
    /// Where the label came from (a file name, a URL).
    public var source: String?

    public init(subject: String, kind: String, label: String, category: String? = nil, source: String? = nil) {
        self.subject = subject
        self.kind = kind
        self.label = label
        self.category = category
        self.source = source
    }
}
