import ChainwatchCore

/// Ground truth for a backtest: which transactions and addresses are known bad, and of what kind.
///
/// Three CSV layouts are recognized by their header (column names are case-insensitive, any order):
///
/// | layout              | required columns        | category column          |
/// |---------------------|-------------------------|--------------------------|
/// | transaction labels  | `hash`, `label`         | `typology` (or `category`) |
/// | address labels      | `address`, `label`      | `category` (or `typology`, `family`) |
/// | Etherscan tag list  | `address`, `family`, no `label` | `family`          |
///
/// **Label rule.** A `label` cell is negative when it is empty or one of `0`, `false`, `no`, `negative`,
/// `benign` (case-insensitive, trimmed); every other value (`1`, `true`, `yes`, `malicious`, `fraud`, a
/// typology name, …) is positive. Files without a `label` column (Etherscan) mark an address positive when
/// its category is in ``positiveCategories`` or contains one of ``positiveCategoryFragments``: the tag
/// list also names exchanges and token contracts, which are context, not ground truth.
///
/// **Transaction rule.** A transaction with its own label takes that label (a negative transaction label
/// overrides a positive address). Otherwise it is positive when its sender or receiver is a positive
/// address: money flowing into or out of a phishing address is what a detector should flag.
/// Hashes and addresses are compared lowercased. An address listed more than once is positive if any of
/// its rows is; its category is that of its first positive row (else its first row).
public struct LabelSet: Sendable, Equatable {
    /// Whether a label row names a transaction or an address.
    public enum Kind: String, Sendable, Hashable {
        case transaction = "tx"
        case address
    }

    /// One label as loaded, for the `labels` table (subject, kind, label, category, source).
    public struct Row: Sendable, Equatable {
        /// Lowercased transaction hash or address.
        public var subject: String
        public var kind: Kind
        /// The label after the rule above (stored as 1 / 0).
        public var isPositive: Bool
        /// The `label` cell as written, or `nil` for files without a label column.
        public var rawLabel: String?
        public var category: String?
        /// The name the caller gave the file (usually its path).
        public var source: String
    }

    /// Categories that make an Etherscan-style address positive.
    public static let defaultPositiveCategories: Set<String> = [
        "phish-hack", "upbit-hack", "heist", "exploit", "scam", "hack",
    ]
    /// Any category containing one of these is positive too (`cryptopia-hack`, `fake-phishing`, …).
    public static let positiveCategoryFragments = ["hack", "phish", "scam", "exploit", "heist"]
    static let negativeLabels: Set<String> = ["", "0", "false", "no", "negative", "benign"]

    struct Entry: Sendable, Equatable {
        var isPositive: Bool
        var category: String?
    }

    public private(set) var rows: [Row] = []
    /// Label rows whose subject was empty (counted, not loaded).
    public private(set) var skippedRows = 0
    var transactions: [String: Entry] = [:]
    var addresses: [String: Entry] = [:]

    /// An empty set: every transaction is negative.
    public init() {}

    /// Loads one label file from its text. `source` names it in ``rows`` and in errors.
    ///
    /// - Throws: `.badHeader` when the header matches none of the layouts above.
    public init(
        csvText: String, source: String, positiveCategories: Set<String> = LabelSet.defaultPositiveCategories
    ) throws(ChainwatchError) {
        let records = CSVRecordReader.records(in: csvText)
        guard let header = records.first else {
            throw ChainwatchError(.badHeader, "label file is empty", context: source)
        }
        // A spreadsheet export may start with a byte-order mark.
        let names = header.map { String($0.filter { $0 != "\u{FEFF}" }).trimmingWhitespace.lowercased() }
        func column(_ candidates: String...) -> Int? {
            for name in candidates { if let index = names.firstIndex(of: name) { return index } }
            return nil
        }
        let labelColumn = column("label", "is_malicious", "malicious")
        let kind: Kind
        let subjectColumn: Int
        let categoryColumn: Int?
        if let hash = column("hash", "tx_hash", "transaction_hash"), labelColumn != nil {
            (kind, subjectColumn, categoryColumn) = (.transaction, hash, column("typology", "category"))
        } else if let address = column("address"), labelColumn != nil {
            (kind, subjectColumn, categoryColumn) = (.address, address, column("category", "typology", "family"))
        } else if let address = column("address"), let family = column("family") {
            (kind, subjectColumn, categoryColumn) = (.address, address, family)
        } else {
            throw ChainwatchError(
                .badHeader,
                "label file needs hash,label[,typology] or address,label[,category] or an Etherscan tag header",
                context: "\(source): \(header.joined(separator: ","))"
            )
        }
        for record in records.dropFirst() {
            func cell(_ index: Int?) -> String? {
                guard let index, index < record.count else { return nil }
                let value = record[index].trimmingWhitespace
                return value.isEmpty ? nil : value
            }
            guard let subject = cell(subjectColumn)?.lowercased() else {
                skippedRows += 1
                continue
            }
            let category = cell(categoryColumn)?.lowercased()
            let rawLabel = labelColumn.map { record.indices.contains($0) ? record[$0].trimmingWhitespace : "" }
            let positive: Bool
            if let rawLabel {
                positive = !Self.negativeLabels.contains(rawLabel.lowercased())
            } else {
                positive = category.map { Self.isPositiveCategory($0, in: positiveCategories) } ?? false
            }
            add(Row(subject: subject, kind: kind, isPositive: positive, rawLabel: rawLabel, category: category, source: source))
        }
    }

    /// The Etherscan rule: listed, or containing one of ``positiveCategoryFragments``.
    public static func isPositiveCategory(_ category: String, in positives: Set<String> = defaultPositiveCategories) -> Bool {
        let lowered = category.lowercased()
        return positives.contains(lowered) || positiveCategoryFragments.contains { lowered.contains($0) }
    }

    /// Adds the rows of `other` (several `--labels` files make one set).
    public mutating func merge(_ other: LabelSet) {
        for row in other.rows { add(row) }
        skippedRows += other.skippedRows
    }

    mutating func add(_ row: Row) {
        rows.append(row)
        let entry = Entry(isPositive: row.isPositive, category: row.category)
        switch row.kind {
        case .transaction: Self.combine(entry, into: &transactions[row.subject])
        case .address: Self.combine(entry, into: &addresses[row.subject])
        }
    }

    private static func combine(_ entry: Entry, into slot: inout Entry?) {
        guard let existing = slot else { slot = entry; return }
        if entry.isPositive && !existing.isPositive { slot = entry }
        else if existing.category == nil && entry.isPositive == existing.isPositive { slot?.category = entry.category }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
