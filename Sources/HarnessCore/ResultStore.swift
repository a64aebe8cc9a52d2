import Foundation

/// The on-disk layout of results (docs/ARCHITECTURE.md, "Layout"):
/// - `results/runs/<run-id>/run.json` plus the CSV tables behind the figures (git-ignored);
/// - `results/golden/<suite>/<preset>.json` (committed).
///
/// Run IDs start with a UTC timestamp and end, for the second and later runs of one second, in a
/// zero-padded counter (`-002`), so sorting them by name sorts runs by time.
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

    /// A new, empty run directory `<runs>/<yyyyMMdd'T'HHmmss'Z'>-<suite>-<preset>[-<tag>][-NNN]`; the
    /// tag marks shards (`shard-1of4`) and merged runs (`merged`).
    public func newRunDirectory(
        suite: SuiteID, preset: PresetName, tag: String? = nil, at date: Date = Date(), under base: URL? = nil
    ) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "\(formatter.string(from: date))-\(suite)-\(preset)" + (tag.map { "-\($0)" } ?? "")
        let parent = base ?? runsDirectory
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        removeStaleTemporaries(under: parent)
        for attempt in 1...999 {
            let candidate = parent.appendingPathComponent(attempt == 1 ? stem : stem + String(format: "-%03d", attempt))
            // createDirectory without intermediates fails if it exists: no two runs share a directory.
            if (try? FileManager.default.createDirectory(at: candidate, withIntermediateDirectories: false)) != nil {
                return candidate
            }
        }
        throw AtomicFile.WriteError(path: parent.appendingPathComponent(stem).path, reason: "too many runs in the same second")
    }

    /// Removes temporary files that killed runs left in run directories that never got a run.json.
    func removeStaleTemporaries(under parent: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names.sorted() {
            let directory = parent.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("run.json").path) {
                AtomicFile.removeStaleTemporaries(in: directory)
            }
        }
    }

    /// Creates `directory` if needed and checks that a file can be written in it, so that an
    /// unwritable output folder is reported before a run rather than after it.
    public func probeWritable(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AtomicFile.WriteError(path: displayPath(directory), reason: "cannot create the directory (\(Self.reason(error)))")
        }
        let probe = directory.appendingPathComponent(".probe.\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw AtomicFile.WriteError(path: displayPath(directory), reason: "the directory is not writable")
        }
        unlink(probe.path)
    }

    static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
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

    /// The newest canonical run of `suite` (declared seed, no overrides, at `preset` when given),
    /// and every newer run of the suite that was passed over, with the reason.
    public func latestCanonicalRun(
        of suite: SuiteID, declaredSeed: UInt64, preset: PresetName?, under base: URL? = nil
    ) -> RunSelection {
        let parent = base ?? runsDirectory
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).sorted()
        var selection = RunSelection()
        for name in names.reversed() where name.contains("-\(suite)-") {
            let directory = parent.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("run.json").path) else {
                selection.skipped.append((directory, "incomplete: no run.json"))
                continue
            }
            let record: RunRecord
            do {
                record = try loadRecord(in: directory)
            } catch {
                selection.skipped.append((directory, "unreadable run.json"))
                continue
            }
            guard record.suite == suite else { continue }
            if let reason = record.nonCanonicalReason(declaredSeed: declaredSeed, preset: preset) {
                selection.skipped.append((directory, reason))
                continue
            }
            selection.chosen = (directory, record)
            break
        }
        return selection
    }

    /// The newest complete, full (not partial) run of `suite` (at `preset`, when given).
    public func latestRun(of suite: SuiteID, preset: PresetName? = nil, under base: URL? = nil) -> URL? {
        runDirectories(under: base).last { url in
            guard let record = try? loadRecord(in: url) else { return false }
            return record.suite == suite && (preset == nil || record.preset == preset) && !record.isPartial
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

    /// Runs `body` holding an exclusive lock (flock(2)) on `results/golden/<suite>/`, so two
    /// `claimbench golden` processes never read, compare and write one suite's goldens at once.
    /// The lock is released when `body` returns or the process dies; a held lock is an error.
    public func withGoldenLock<T>(_ suite: SuiteID, _ body: () throws -> T) throws -> T {
        let directory = root.appendingPathComponent("results/golden/\(suite)")
        try probeWritable(directory)
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AtomicFile.WriteError(path: displayPath(directory), reason: "cannot open it to lock: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw AtomicFile.WriteError(
                path: displayPath(directory),
                reason: "another claimbench process is writing this suite's goldens; wait for it to finish, then run again")
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// The run `latest` stands for, and the newer runs it passed over with the reason.
public struct RunSelection {
    public var chosen: (directory: URL, record: RunRecord)?
    public var skipped: [(directory: URL, reason: String)] = []
}
