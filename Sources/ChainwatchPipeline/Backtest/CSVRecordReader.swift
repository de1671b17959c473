/// Splits CSV text into records of fields (RFC 4180: `,` separators, `"` quoting, `""` inside quotes).
///
/// Used for label files, which are small (the Etherscan tag list is a few MB), so the whole text is
/// split at once. CR before LF is dropped, so CRLF and LF files read the same; blank lines are skipped.
///
///     CSVRecordReader.records(in: "a,\"b,c\"\r\n1,2\n")   // [["a", "b,c"], ["1", "2"]]
///
/// - Complexity: O(n) in the length of the text.
enum CSVRecordReader {
    static func records(in text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedField = false
        let bytes = Array(text.utf8)
        var index = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(fields) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\n"): endRecord()
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\"") where field.isEmpty && !quotedField:
                    inQuotes = true
                    quotedField = true
                default: field.append(byte)
                }
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }
}
