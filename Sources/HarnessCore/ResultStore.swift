import Foundation

/// The on-disk layout of results (DESIGN.md, "Layout"):
/// - `results/runs/<run-id>/run.json` plus the CSV tables behind the figures (git-ignored);
/// - `results/golden/<suite>/<preset>.json` (committed).
///
/// Run IDs start with a UTC timestamp, so sorting them sorts runs by time.
/// Every file is written atomically; run.json is written last, so a run directory with a
/// run.json is complete.
public struct ResultStore: Sendable {
    public let root: URL

    public init(repositoryRoot: URL) { root = repositoryRoot }

    public var runsDirectory: URL { root.appendingPathComponent("results/runs") }

    public func goldenURL(_ suite: SuiteID, _ preset: PresetName) -> URL {
        root.appendingPathComponent("results/golden/\(suite)/\(preset).json")
    }

    /// Repository-relative path, for messages.
    public func displayPath(_ url: URL) -> String {
        let base = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    /// A new, empty run directory `<runs>/<yyyyMMdd'T'HHmmss'Z'>-<suite>-<preset>[-k]`.
    public func newRunDirectory(suite: SuiteID, preset: PresetName, at date: Date = Date(), under base: URL? = nil) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "\(formatter.string(from: date))-\(suite)-\(preset)"
        let parent = base ?? runsDirectory
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        for attempt in 1...1000 {
            let candidate = parent.appendingPathComponent(attempt == 1 ? stem : "\(stem)-\(attempt)")
            // createDirectory without intermediates fails if it exists: no two runs share a directory.
            if (try? FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: false)) != nil {
                return candidate
            }
        }
        throw AtomicFile.WriteError(path: parent.appendingPathComponent(stem).path, reason: "too many runs in the same second")
    }

    /// Writes the tables, then run.json.
    public func write(_ record: RunRecord, tables: [String: CSVTable], to directory: URL) throws {
        for name in tables.keys.sorted() {
            try AtomicFile.write(tables[name]!.rendered(), to: directory.appendingPathComponent(name))
        }
        try AtomicFile.write(CanonicalJSON.encode(record), to: directory.appendingPathComponent("run.json"))
    }

    public struct RunLoadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public func loadRecord(in directory: URL) throws -> RunRecord {
        let url = directory.appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RunLoadError(path: displayPath(url), reason: "no run record here; pass a directory made by `claimbench run` or `check`")
        }
        do {
            return try CanonicalJSON.decode(RunRecord.self, from: data)
        } catch {
            throw RunLoadError(path: displayPath(url), reason: "unreadable run record (\(error)); run the suite again")
        }
    }

    /// Complete runs (those with a run.json), oldest first.
    public func runDirectories(under base: URL? = nil) -> [URL] {
        let parent = base ?? runsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        return names.sorted()
            .map { parent.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("run.json").path) }
    }

    /// The newest complete run of `suite` (at `preset`, when given).
    public func latestRun(of suite: SuiteID, preset: PresetName? = nil, under base: URL? = nil) -> URL? {
        runDirectories(under: base).last { url in
            guard let record = try? loadRecord(in: url) else { return false }
            return record.suite == suite && (preset == nil || record.preset == preset)
        }
    }

    public func loadGolden(_ suite: SuiteID, _ preset: PresetName) throws -> GoldenFile {
        let url = goldenURL(suite, preset)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GoldenFileError.missing(path: displayPath(url), suite: suite, preset: preset)
        }
        // Read the schema first, so an old file gets a useful message rather than a decoding trace.
        struct SchemaProbe: Decodable {
            var schemaVersion: Int
            enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
        }
        if let probe = try? CanonicalJSON.decode(SchemaProbe.self, from: data), probe.schemaVersion != GoldenFile.currentSchemaVersion {
            throw GoldenFileError.corrupt(
                path: displayPath(url),
                reason: "schema \(probe.schemaVersion), this claimbench reads schema \(GoldenFile.currentSchemaVersion)"
                    + " (a golden with calibrated tolerances); re-record it",
                suite: suite, preset: preset)
        }
        let golden: GoldenFile
        do {
            golden = try CanonicalJSON.decode(GoldenFile.self, from: data)
        } catch {
            throw GoldenFileError.corrupt(path: displayPath(url), reason: "\(error)", suite: suite, preset: preset)
        }
        guard golden.suite == suite, golden.preset == preset else {
            throw GoldenFileError.corrupt(
                path: displayPath(url), reason: "it holds suite \(golden.suite) preset \(golden.preset)", suite: suite, preset: preset)
        }
        return golden
    }

    public func writeGolden(_ golden: GoldenFile) throws {
        try AtomicFile.write(CanonicalJSON.encode(golden), to: goldenURL(golden.suite, golden.preset))
    }
}
