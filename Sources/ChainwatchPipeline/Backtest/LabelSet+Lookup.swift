import ChainwatchCore

extension LabelSet {
    /// Whether a transaction counts as positive (see the transaction rule on ``LabelSet``).
    ///
    /// - Complexity: up to three dictionary lookups; `from`/`to` are lowercased here, so callers may pass
    ///   the exact text from the input.
    public func isPositive(txHash: String, from: String, to: String?) -> Bool {
        if let entry = transactions[txHash.lowercased()] { return entry.isPositive }
        if addresses.isEmpty { return false }
        if addresses[from.lowercased()]?.isPositive == true { return true }
        if let to, addresses[to.lowercased()]?.isPositive == true { return true }
        return false
    }

    /// The label category of a transaction: its own typology if it has a label, else the category of a
    /// positive sender, a positive receiver, a labelled sender or a labelled receiver, in that order.
    public func category(txHash: String, from: String, to: String?) -> String? {
        if let entry = transactions[txHash.lowercased()] { return entry.category }
        let sender = addresses[from.lowercased()]
        let receiver = to.flatMap { addresses[$0.lowercased()] }
        if let sender, sender.isPositive { return sender.category }
        if let receiver, receiver.isPositive { return receiver.category }
        return sender?.category ?? receiver?.category
    }

    /// Lowercased addresses labelled positive.
    public var positiveAddresses: Set<String> {
        Set(addresses.lazy.filter { $0.value.isPositive }.map(\.key))
    }

    /// Distinct labelled transactions / addresses and how many of them are positive.
    public var transactionLabelCount: Int { transactions.count }
    public var positiveTransactionLabelCount: Int { transactions.values.lazy.filter(\.isPositive).count }
    public var addressLabelCount: Int { addresses.count }
    public var positiveAddressCount: Int { addresses.values.lazy.filter(\.isPositive).count }
    public var isEmpty: Bool { transactions.isEmpty && addresses.isEmpty }

    /// Positive subjects (transactions plus addresses) per category, `"(none)"` for uncategorized, sorted
    /// by count then name.
    public var positiveCategoryCounts: [(category: String, count: Int)] {
        var counts: [String: Int] = [:]
        for entry in transactions.values where entry.isPositive { counts[entry.category ?? "(none)", default: 0] += 1 }
        for entry in addresses.values where entry.isPositive { counts[entry.category ?? "(none)", default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
