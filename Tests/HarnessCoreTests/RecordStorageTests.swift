import Foundation
import HarnessCore
import TestSupport
import XCTest

/// Run records, canonical JSON and atomic writes.
final class RecordStorageTests: XCTestCase {
    private func sampleRecord() -> RunRecord {
        RunRecord(
            suite: "s", preset: .smoke, experiment: "e", seed: 0xFFFF_FFFF_FFFF_FFF0,
            parameters: .object(["n": .array([.number(200), .number(300)]), "eta": .number(0.1)]),
            provenance: Provenance(
                gitCommit: "abc", gitDirty: false, swiftVersion: "Swift 6.3", operatingSystem: "Linux", cpuModel: "cpu",
                cores: 2, blasConfiguration: "OpenBLAS", blasThreads: 1, buildConfiguration: "release",
                startTime: "2026-11-23T00:00:00Z", wallSeconds: 1.25),
            metrics: [
                "third": .numeric(1.0 / 3.0), "tiny": .numeric(4.9e-324), "inf": .numeric(.infinity),
                "nan": .numeric(.nan), "big": .exact(123_456_789_012_345),
                "ratio": .timing(12.5, unit: "x", interval: MetricInterval(lower: 10, upper: .infinity, level: nil)),
            ],
            claims: [], tables: ["a.csv"], notes: ["k": "v"])
    }

    func testRecordRoundTripsBitForBit() throws {
        let record = sampleRecord()
        let decoded = try CanonicalJSON.decode(RunRecord.self, from: CanonicalJSON.encode(record))
        for (name, metric) in record.metrics {
            XCTAssertEqual(decoded.metrics[name]?.value.bitPattern, metric.value.bitPattern, "\(name)")
        }
        XCTAssertEqual(decoded.seed, record.seed)
        XCTAssertEqual(decoded.parameters, record.parameters)
        XCTAssertEqual(decoded.metrics["ratio"]?.interval?.upper, .infinity)
    }

    func testJSONHasSortedKeysAndSpellsNonFiniteValues() throws {
        let text = String(decoding: try CanonicalJSON.encode(sampleRecord()), as: UTF8.self)
        let keys = ["\"claims\"", "\"experiment\"", "\"metrics\"", "\"notes\"", "\"parameters\"", "\"preset\"", "\"provenance\"", "\"schema_version\"", "\"seed\"", "\"suite\"", "\"tables\""]
        let positions = keys.map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(positions, positions.sorted(), "top-level keys are not sorted")
        XCTAssertTrue(text.contains("\"inf\""))
        XCTAssertTrue(text.contains("\"nan\""))
        XCTAssertTrue(text.contains("0.3333333333333333"))
        XCTAssertEqual(try CanonicalJSON.encode(sampleRecord()), try CanonicalJSON.encode(sampleRecord()), "encoding is not deterministic")
    }

    func testUnsupportedSchemaVersionIsRejected() throws {
        var text = String(decoding: try CanonicalJSON.encode(sampleRecord()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"schema_version\" : 1", with: "\"schema_version\" : 9")
        XCTAssertThrowsError(try CanonicalJSON.decode(RunRecord.self, from: Data(text.utf8))) { error in
            XCTAssertTrue("\(error)".contains("schema_version 9 is not supported"), "\(error)")
        }
    }

    func testAtomicWriteReplacesWholeFileAndLeavesNoTemporary() throws {
        let scratch = TemporaryDirectory()
        let target = scratch.url.appendingPathComponent("deep/dir/file.json")
        try AtomicFile.write("first version, longer than the second", to: target)
        try AtomicFile.write("second", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path), ["file.json"])
    }

    func testAtomicWriteIntoUnwritablePlaceNamesThePath() {
        XCTAssertThrowsError(try AtomicFile.write("x", to: URL(fileURLWithPath: "/proc/claimbench/file"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write /proc/claimbench/file"), "\(error)")
        }
    }

    func testRunDirectoriesAreUniqueAndSortByTime() throws {
        let scratch = TemporaryDirectory()
        let store = ResultStore(repositoryRoot: scratch.url)
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try store.newRunDirectory(suite: "s", preset: .smoke, at: date)
        let second = try store.newRunDirectory(suite: "s", preset: .smoke, at: date)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(first.lastPathComponent, "20270115T080000Z-s-smoke")
        XCTAssertEqual(second.lastPathComponent, "20270115T080000Z-s-smoke-002")
        // Ten and more runs in one second still sort in the order they were made.
        let more = try (3...12).map { _ in try store.newRunDirectory(suite: "s", preset: .smoke, at: date).lastPathComponent }
        let made = [first.lastPathComponent, second.lastPathComponent] + more
        XCTAssertEqual(made.sorted(), made)
        // Only directories holding a run.json count as runs.
        XCTAssertEqual(store.runDirectories(), [])
        try store.write(sampleRecord(), tables: ["a.csv": CSVTable(columns: ["x"])], to: first)
        XCTAssertEqual(store.runDirectories().map(\.lastPathComponent), [first.lastPathComponent])
        XCTAssertEqual(store.latestRun(of: "s")?.lastPathComponent, first.lastPathComponent)
        XCTAssertNil(store.latestRun(of: "s", preset: .default))
        XCTAssertNil(store.latestRun(of: "other"))
    }

    func testStaleTemporaryFilesOfDeadProcessesAreRemoved() throws {
        let scratch = TemporaryDirectory()
        // No process has pid Int32.max - 1 (Linux caps pids far below it); our own temporaries stay.
        let stale = scratch.write("half", to: "golden/.smoke.json.\(Int32.max - 1).tmp")
        let mine = scratch.write("mine", to: "golden/.other.json.\(getpid()).tmp")
        try AtomicFile.write("{}", to: scratch.url.appendingPathComponent("golden/smoke.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: mine.path))
        // A killed run's directory (no run.json) is swept when the next run directory is made.
        let killed = scratch.write("half", to: "results/runs/20270115T080000Z-s-smoke/.a.csv.\(Int32.max - 1).tmp")
        _ = try ResultStore(repositoryRoot: scratch.url).newRunDirectory(suite: "s", preset: .smoke)
        XCTAssertFalse(FileManager.default.fileExists(atPath: killed.path))
    }

    func testGoldenWritesAreExclusive() throws {
        let scratch = TemporaryDirectory()
        let store = ResultStore(repositoryRoot: scratch.url)
        let inner: Result<Void, any Error> = try store.withGoldenLock("s") {
            Result { try store.withGoldenLock("s") {} }
        }
        XCTAssertThrowsError(try inner.get()) { error in
            XCTAssertTrue("\(error)".contains("another claimbench process is writing this suite's goldens"), "\(error)")
        }
        // Released afterwards, and other suites were never blocked.
        XCTAssertNoThrow(try store.withGoldenLock("s") {})
        XCTAssertNoThrow(try store.withGoldenLock("s") { try store.withGoldenLock("t") {} })
    }

    func testLatestCanonicalRunSkipsOtherSeedsOverridesAndUnreadableRuns() throws {
        let scratch = TemporaryDirectory()
        let store = ResultStore(repositoryRoot: scratch.url)
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        var canonical = sampleRecord()
        canonical.seed = 1
        let good = try store.newRunDirectory(suite: "s", preset: .smoke, at: base)
        try store.write(canonical, tables: [:], to: good)
        var seeded = canonical
        seeded.seed = 7
        try store.write(seeded, tables: [:], to: try store.newRunDirectory(suite: "s", preset: .smoke, at: base + 1))
        var overridden = canonical
        overridden.overrides = ["n": "50"]
        try store.write(overridden, tables: [:], to: try store.newRunDirectory(suite: "s", preset: .smoke, at: base + 2))
        let broken = try store.newRunDirectory(suite: "s", preset: .smoke, at: base + 3)
        try AtomicFile.write("{ not json", to: broken.appendingPathComponent("run.json"))
        let selection = store.latestCanonicalRun(of: "s", declaredSeed: 1, preset: .smoke)
        XCTAssertEqual(selection.chosen?.directory.lastPathComponent, good.lastPathComponent)
        XCTAssertEqual(selection.skipped.map(\.reason), ["unreadable run.json", "overrides n=50", "seed 7, not the declared 1"])
        XCTAssertNil(store.latestCanonicalRun(of: "s", declaredSeed: 1, preset: .default).chosen)
    }
}
