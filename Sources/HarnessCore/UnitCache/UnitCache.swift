import ContentDigest
import Foundation

/// The result cache of work units (docs/ARCHITECTURE.md, "Result cache"), in
/// `results/cache/<suite>/`:
/// - `<key digest>.unit`: one entry, a JSON header line (the key's components, the result's
///   size and SHA-256) followed by the unit's result as `UnitResultCodec` encoded it;
/// - `index/<preset>/<unit id, escaped>.json`: the digests of that unit's latest entries, newest
///   first, so that `claimbench why` can say what changed since.
///
/// Safe under concurrent writers (shards sharing the folder): every file is written through
/// `AtomicFile` (unique temporary, fsync, rename), so a reader sees a whole entry or none, and
/// two writers of one entry both leave a whole one. An entry that does not read back whole
/// (torn by a crash of the disk, edited, or from another version) is a miss that says why.
/// Temporaries of killed writers are removed when the folder is next written.
public struct UnitCache: Sendable {
    /// `results/cache`.
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The result of a lookup.
    public enum Lookup: Sendable, Equatable {
        case hit(Data)
        /// No entry under the key.
        case miss
        /// An entry exists but does not read back whole; the reason says what is wrong with it.
        case unreadable(String)
    }

    /// How many digests the index keeps per unit.
    public static let indexDepth = 8

    public func entryURL(_ key: UnitCacheKey) -> URL {
        directory.appendingPathComponent("\(key.suite)/\(key.digest).unit")
    }

    public func indexURL(suite: SuiteID, preset: PresetName, unit: WorkUnitID) -> URL {
        directory.appendingPathComponent("\(suite)/index/\(Self.escape(preset.rawValue))/\(Self.escape(unit.rawValue)).json")
    }

    /// The cached result under `key`.
    public func lookup(_ key: UnitCacheKey) -> Lookup {
        let url = entryURL(key)
        guard let data = FileManager.default.contents(atPath: url.path) else { return .miss }
        switch Self.decode(data, expectedDigest: key.digest) {
        case .success(let entry): return .hit(entry.result)
        case .failure(let problem): return .unreadable("\(url.lastPathComponent): \(problem.reason)")
        }
    }

    /// Stores `result` under `key` and makes it the unit's latest entry.
    public func store(_ result: Data, for key: UnitCacheKey) throws {
        let header = Header(key: key, resultBytes: result.count, resultSHA256: SHA256.hex(result))
        var data = try Self.headerEncoder.encode(header)
        data.append(0x0A)
        data.append(result)
        try AtomicFile.write(data, to: entryURL(key))
        let index = indexURL(suite: key.suite, preset: key.preset, unit: key.unit)
        let previous = (try? CanonicalJSON.decode(Index.self, from: Data(contentsOf: index)))?.recent ?? []
        let recent = [key.digest] + previous.filter { $0 != key.digest }.prefix(Self.indexDepth - 1)
        try AtomicFile.write(try CanonicalJSON.encode(Index(recent: recent)), to: index)
    }

    /// The keys of the unit's latest entries that still read back, newest first.
    public func recentKeys(suite: SuiteID, preset: PresetName, unit: WorkUnitID) -> [UnitCacheKey] {
        let index = indexURL(suite: suite, preset: preset, unit: unit)
        guard let recent = (try? CanonicalJSON.decode(Index.self, from: Data(contentsOf: index)))?.recent else { return [] }
        return recent.compactMap { digest in
            let url = directory.appendingPathComponent("\(suite)/\(digest).unit")
            guard let data = FileManager.default.contents(atPath: url.path), case .success(let entry) = Self.decode(data, expectedDigest: digest)
            else { return nil }
            return entry.key
        }
    }

    // MARK: - Entry format

    struct Header: Codable {
        var key: UnitCacheKey
        var resultBytes: Int
        var resultSHA256: String

        enum CodingKeys: String, CodingKey { case key, resultBytes = "result_bytes", resultSHA256 = "result_sha256" }
    }

    struct Index: Codable { var recent: [String] }

    struct Problem: Error { var reason: String }

    /// Compact JSON with sorted keys: one line, as JSON escapes every newline inside strings.
    static var headerEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Reads an entry back whole: its header decodes, names the expected key, and the result has
    /// the recorded size and SHA-256.
    static func decode(_ data: Data, expectedDigest: String) -> Result<(key: UnitCacheKey, result: Data), Problem> {
        guard let newline = data.firstIndex(of: 0x0A) else { return .failure(Problem(reason: "no header line (a torn or foreign file)")) }
        let header: Header
        do {
            header = try CanonicalJSON.decode(Header.self, from: data[data.startIndex..<newline])
        } catch {
            return .failure(Problem(reason: "its header does not decode (a torn file, or written by another version)"))
        }
        guard header.key.digest == expectedDigest else {
            return .failure(Problem(reason: "its header is for another key"))
        }
        let result = Data(data[(newline + 1)...])
        guard result.count == header.resultBytes, SHA256.hex(result) == header.resultSHA256 else {
            return .failure(Problem(reason: "its result is \(result.count) bytes that do not match the recorded \(header.resultBytes) and SHA-256 (torn)"))
        }
        return .success((header.key, result))
    }

    /// A file name for any id: letters, digits, `-`, `_`, `=`, `,`, `+` and inner `.` kept,
    /// everything else as `%XX` (UTF-8 bytes), so `d=30/alpha=0.2` is `d=30%2Falpha=0.2`.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for (offset, byte) in text.utf8.enumerated() {
            let scalar = Unicode.Scalar(byte)
            let plain = (byte < 0x80 && (Character(scalar).isLetter || Character(scalar).isNumber))
                || "-_=,+".unicodeScalars.contains(scalar) || (scalar == "." && offset > 0)
            escaped += plain ? String(Character(scalar)) : String(format: "%%%02X", byte)
        }
        return escaped
    }
}

/// How a run used the result cache, recorded in its provenance (`unit_cache` in run.json).
public struct UnitCacheUse: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        /// Units found under their key were read, the others computed and stored.
        case readWrite = "read-write"
        /// `--no-cache`: every unit computed, its entry written afresh.
        case refresh
        /// No cache: the experiment's module has no code fingerprint, or the caller asked for none.
        case off
    }

    public var mode: Mode
    /// Units this run (or shard) holds.
    public var units: Int
    /// Of those, units read from the cache rather than computed.
    public var fromCache: Int
    /// Why the cache was off, or which entries were unreadable; `nil` when there is nothing to say.
    public var note: String?

    public init(mode: Mode, units: Int, fromCache: Int, note: String? = nil) {
        self.mode = mode
        self.units = units
        self.fromCache = fromCache
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case mode, units, fromCache = "from_cache", note }

    /// "3 of 12 units from the cache".
    public var summary: String {
        switch mode {
        case .readWrite: "\(fromCache) of \(units) units from the cache"
        case .refresh: "0 of \(units) units from the cache (--no-cache: all recomputed, entries refreshed)"
        case .off: "0 of \(units) units from the cache (cache off\(note.map { ": \($0)" } ?? ""))"
        }
    }
}
