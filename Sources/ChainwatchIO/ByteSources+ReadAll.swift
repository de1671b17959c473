import ChainwatchCore

extension ByteSources {
    /// Reads a whole (small) input into memory — label files, configuration. `.lz4` is decompressed.
    ///
    /// - Throws: `.unreadableInput` past `limit` bytes, so a wrong path cannot exhaust memory.
    public static func readAll(path: String, limit: Int = 1 << 30) throws(ChainwatchError) -> [UInt8] {
        var source = try open(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { buffer in try source.read(into: buffer) }
            } catch let error as ChainwatchError {
                throw error
            } catch {
                throw ChainwatchError(.unreadableInput, "cannot read \(path)", context: path, cause: error)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0 ..< count])
            guard bytes.count <= limit else {
                throw ChainwatchError(.unreadableInput, "\(path) is larger than \(limit) bytes", context: path)
            }
        }
    }
}
