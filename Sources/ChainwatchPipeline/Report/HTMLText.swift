import Foundation

/// Text helpers for the HTML report: escaping and the few number formats it shows.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so any text (hashes, detector names, settings, reasons) is safe
    /// in element content and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `20356` → `20,356`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Fixed decimals, or `n/a` for an undefined metric.
    static func fixed(_ value: Double?, _ digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "n/a" }
        return String(format: "%.\(digits)f", value)
    }

    /// About four significant digits, without exponent for everyday magnitudes (scores, ETH amounts).
    static func compact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "−∞") }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1e6 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        if magnitude >= 100 || value == value.rounded() { return grouped(Int(value.rounded())) }
        return String(format: "%.4g", value)
    }

    /// `0x5b4d26…e784a4` (full hash in the title attribute).
    static func short(_ hash: String) -> String {
        hash.count > 14 ? String(hash.prefix(8)) + "…" + String(hash.suffix(6)) : hash
    }

    /// Unix seconds → `2017-03-06 04:38 UTC`.
    static func date(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + " UTC"
    }
}
