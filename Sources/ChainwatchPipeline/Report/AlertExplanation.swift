import Foundation

/// Turns an alert's `reasons` JSON into a short readable line of facts for the report.
///
/// Detectors write different keys, so the rule is generic: keys named in ``priority`` come first, then
/// the rest alphabetically; numbers get about four significant digits; an array of objects (top features,
/// evidence) shows each element as `name value`; nested objects show their scalar members. Model ids are
/// left out (the report shows the model once). Text that is not a JSON object is shown cut to 200 characters.
enum AlertExplanation {
    static let priority = ["typology", "summary", "reason", "why", "top_features", "features", "evidence", "zscore", "z"]
    static let hidden: Set<String> = ["model", "model_id", "modelid", "version"]

    /// Up to `limit` facts, e.g. `["typology: peel_chain", "top_features: amount_z 12.3, fan_out 31"]`.
    static func facts(fromReasons reasons: String, limit: Int = 6) -> [String] {
        guard let data = reasons.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            let trimmed = reasons.trimmingWhitespace
            return trimmed.isEmpty ? [] : [trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed]
        }
        let keys = object.keys.filter { !hidden.contains($0.lowercased()) }.sorted { a, b in
            let ia = priority.firstIndex(of: a) ?? priority.count, ib = priority.firstIndex(of: b) ?? priority.count
            return ia != ib ? ia < ib : a < b
        }
        return keys.prefix(limit).map { "\($0.replacingOccurrences(of: "_", with: " ")): \(describe(object[$0]!, depth: 0))" }
    }

    static func describe(_ value: Any, depth: Int) -> String {
        switch value {
        case let text as String:
            return text
        case let number as NSNumber:
            return describe(number)
        case let array as [Any]:
            let parts = array.prefix(5).map { describe($0, depth: depth + 1) }
            return parts.joined(separator: ", ") + (array.count > 5 ? ", …" : "")
        case let object as [String: Any]:
            return describe(object, depth: depth)
        default:
            return "null"
        }
    }

    static func describe(_ number: NSNumber) -> String {
        let text = "\(number)"
        if text == "true" || text == "false" { return text }
        return HTMLText.compact(number.doubleValue)
    }

    /// `{name: "amount_z", value: 12.3}` → `amount_z 12.3`; other objects → `k=v` pairs of scalars.
    static func describe(_ object: [String: Any], depth: Int) -> String {
        let nameKeys = ["name", "feature", "detector", "typology", "address"]
        let valueKeys = ["value", "score", "zscore", "contribution", "count", "amount"]
        if let nameKey = nameKeys.first(where: { object[$0] is String }), let name = object[nameKey] as? String {
            let shown = valueKeys.compactMap { key in object[key].map { describe($0, depth: depth + 1) } }.first
            return shown.map { "\(name) \($0)" } ?? name
        }
        guard depth < 2 else { return "{…}" }
        return object.keys.sorted().prefix(4).map { "\($0)=\(describe(object[$0]!, depth: depth + 1))" }.joined(separator: " ")
    }
}
