import Foundation

/// The `units/` folder of a partial run (docs/ARCHITECTURE.md, "Work units and shards"): one file
/// per work unit the shard ran, holding that unit's result exactly as `UnitResultCodec` encoded it.
///
/// Each file is two lines: a JSON header naming the unit (`{"schema":1,"unit":"d=30/alpha=0.2"}`)
/// and the encoded result, byte for byte (the codec writes no newline). File names are derived
/// from unit ids: characters other than letters, digits, `.`, `_`, `=` and `-` become `_`, the
/// stem is cut to 80 characters, and the id's FNV-1a hash is appended, so distinct ids never
/// share a file and no id can reach outside the folder. Files are written atomically.
public enum UnitResultFiles {
    public static let folder = "units"
    static let schema = 1

    /// `d=30_alpha=0.2-5f1c…e3.jsonl` for `d=30/alpha=0.2`.
    public static func fileName(for unit: WorkUnitID) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._=-")
        var stem = String(unit.rawValue.map { allowed.contains($0) ? $0 : "_" }.prefix(80))
        if stem.isEmpty || stem.hasPrefix(".") { stem = "_" + stem }
        let hash = String(StreamNameHash.fnv1a64(unit.rawValue), radix: 16)
        return "\(stem)-\(String(repeating: "0", count: 16 - hash.count))\(hash).jsonl"
    }

    struct Header: Codable {
        var schema: Int
        var unit: WorkUnitID
    }

    /// Writes every result under `<directory>/units/`.
    public static func write(_ results: [WorkUnitID: Data], in directory: URL) throws {
        let folderURL = directory.appendingPathComponent(folder)
        for unit in results.keys.sorted() {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var bytes = try encoder.encode(Header(schema: schema, unit: unit))
            bytes.append(0x0A)
            bytes.append(results[unit]!)
            try AtomicFile.write(bytes, to: folderURL.appendingPathComponent(fileName(for: unit)))
        }
    }

    /// A unit result file that is missing, unreadable or names another unit.
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads the results of `units` from `<directory>/units/`; `display` turns paths into message text.
    public static func read(_ units: [WorkUnitID], in directory: URL, display: (URL) -> String = \.path) throws -> [WorkUnitID: Data] {
        var results: [WorkUnitID: Data] = [:]
        for unit in units {
            let url = directory.appendingPathComponent(folder).appendingPathComponent(fileName(for: unit))
            guard let bytes = FileManager.default.contents(atPath: url.path) else {
                throw ReadError(path: display(url), reason: "the result of work unit \(unit), listed in run.json, is missing; run that shard again")
            }
            guard let newline = bytes.firstIndex(of: 0x0A),
                  let header = try? JSONDecoder().decode(Header.self, from: bytes[bytes.startIndex..<newline])
            else {
                throw ReadError(path: display(url), reason: "not a unit result file (no header line); run that shard again")
            }
            guard header.schema == schema else {
                throw ReadError(path: display(url), reason: "unit result schema \(header.schema), this claimbench reads \(schema); run that shard again")
            }
            guard header.unit == unit else {
                throw ReadError(path: display(url), reason: "holds work unit \(header.unit), not \(unit); the folder was edited: run that shard again")
            }
            results[unit] = Data(bytes[bytes.index(after: newline)...])
        }
        return results
    }
}
