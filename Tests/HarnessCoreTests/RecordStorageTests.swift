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
        XCTAssertEqual(second.lastPathComponent, "20270115T080000Z-s-smoke-2")
        // Only directories holding a run.json count as runs.
        XCTAssertEqual(store.runDirectories(), [])
        try store.write(sampleRecord(), tables: ["a.csv": CSVTable(columns: ["x"])], to: first)
        XCTAssertEqual(store.runDirectories().map(\.lastPathComponent), [first.lastPathComponent])
        XCTAssertEqual(store.latestRun(of: "s")?.lastPathComponent, first.lastPathComponent)
        XCTAssertNil(store.latestRun(of: "s", preset: .default))
        XCTAssertNil(store.latestRun(of: "other"))
    }
}
