import Foundation
import HarnessCore
import TestSupport
import XCTest

/// Partial run records, their unit files, and what `merge` refuses.
final class ShardMergeTests: XCTestCase {
    let units = ["d=10/alpha=0.3", "d=20/alpha=0.3", "d=30/alpha=0.3", "d=30/alpha=0.45"].map { WorkUnit(WorkUnitID($0)) }

    private func shardRecord(_ index: Int, of count: Int, holding held: [String], seed: UInt64 = 7, commit: String = "abc",
                             dirty: Bool = false, fingerprint: PlatformFingerprint? = PlatformFingerprintTests.fingerprint()) -> RunRecord {
        var record = RunRecord(
            suite: "kde", preset: .smoke, experiment: "kde.regimes", seed: seed,
            parameters: .object(["d": .array([.number(10), .number(20), .number(30)])]),
            provenance: Provenance(
                gitCommit: commit, gitDirty: dirty, swiftVersion: "Swift 6.3", operatingSystem: "Linux", cpuModel: "cpu", cores: 2,
                blasConfiguration: "OpenBLAS", blasThreads: 1, buildConfiguration: "release", startTime: "2026-12-01T00:00:0\(index)Z",
                wallSeconds: 1, fingerprint: fingerprint),
            metrics: [:], claims: [], tables: [], notes: [:])
        record.shard = ShardRecord(try! ShardSpec(index: index, count: count), units: held.map { WorkUnitID($0) }, totalUnits: units.count)
        return record
    }

    private func part(_ record: RunRecord, _ label: String) -> ShardMerge.Part { ShardMerge.Part(label: label, record: record) }

    private func refusal(_ parts: [ShardMerge.Part], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try ShardMerge.check(parts, units: units)
            XCTFail("expected a refusal", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ShardMerge.Refusal, "\(error)", file: file, line: line)
            return "\(error)"
        }
    }

    // MARK: records

    func testRecordWithAndWithoutShardRoundTrips() throws {
        let partial = shardRecord(2, of: 3, holding: ["d=20/alpha=0.3"])
        let decoded = try CanonicalJSON.decode(RunRecord.self, from: CanonicalJSON.encode(partial))
        XCTAssertEqual(decoded, partial)
        XCTAssertEqual(decoded.shard?.label, "2/3")
        XCTAssertEqual(decoded.shard?.totalUnits, 4)
        XCTAssertEqual(decoded.shard?.strategy, .costBalanced)
        XCTAssertTrue(String(decoding: try CanonicalJSON.encode(partial), as: UTF8.self).contains("\"total_units\" : 4"))

        var full = partial
        full.shard = nil
        let text = String(decoding: try CanonicalJSON.encode(full), as: UTF8.self)
        XCTAssertFalse(text.contains("\"shard\""), "a full run writes no shard section, as before shards existed")
        XCTAssertEqual(try CanonicalJSON.decode(RunRecord.self, from: Data(text.utf8)), full)
        XCTAssertFalse(full.isPartial)
        XCTAssertNil(full.partialReason)
    }

    func testPartialRunIsNeverCanonical() {
        let partial = shardRecord(1, of: 2, holding: [])
        let reason = partial.nonCanonicalReason(declaredSeed: 7, preset: .smoke)
        XCTAssertEqual(reason, partial.partialReason)
        XCTAssertTrue(reason?.contains("shard 1/2, 0 of 4 work units") == true, reason ?? "")
        XCTAssertTrue(reason?.contains("claimbench merge") == true, reason ?? "")
    }

    func testLatestRunPassesOverPartialRuns() throws {
        let scratch = TemporaryDirectory()
        let store = ResultStore(repositoryRoot: scratch.url)
        var full = shardRecord(1, of: 1, holding: [])
        full.shard = nil
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let fullDirectory = try store.newRunDirectory(suite: "kde", preset: .smoke, at: base)
        try store.write(full, tables: [:], to: fullDirectory)
        let shardDirectory = try store.newRunDirectory(suite: "kde", preset: .smoke, tag: "shard-1of2", at: base + 1)
        try store.write(shardRecord(1, of: 2, holding: []), tables: [:], to: shardDirectory)
        XCTAssertTrue(shardDirectory.lastPathComponent.hasSuffix("-kde-smoke-shard-1of2"), shardDirectory.lastPathComponent)
        XCTAssertEqual(store.latestRun(of: "kde")?.lastPathComponent, fullDirectory.lastPathComponent)
        let selection = store.latestCanonicalRun(of: "kde", declaredSeed: 7, preset: .smoke)
        XCTAssertEqual(selection.chosen?.directory.lastPathComponent, fullDirectory.lastPathComponent)
        XCTAssertEqual(selection.skipped.count, 1)
        XCTAssertTrue(selection.skipped.first?.reason.contains("partial run") == true)
    }

    // MARK: unit files

    func testUnitFilesRoundTripExactBytesUnderSafeDistinctNames() throws {
        let scratch = TemporaryDirectory()
        let ids: [WorkUnitID] = ["d=30/alpha=0.2", "d=30_alpha=0.2", "../../escape", "", "mlp/sgd/B=64/seed=2", WorkUnitID(String(repeating: "x", count: 300))]
        var results: [WorkUnitID: Data] = [:]
        for (index, id) in ids.enumerated() {
            results[id] = try UnitResultCodec.encode(["value": Double(index) / 3, "nan": .nan, "tiny": 4.9e-324])
        }
        try UnitResultFiles.write(results, in: scratch.url)
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("units").path)
        XCTAssertEqual(Set(names).count, ids.count, "every id gets its own file: \(names)")
        for name in names {
            XCTAssertFalse(name.contains("/") || name.hasPrefix("."), name)
            XCTAssertLessThanOrEqual(name.count, 80 + 1 + 16 + 6)
        }
        XCTAssertEqual(UnitResultFiles.fileName(for: "d=30/alpha=0.2"), "d=30_alpha=0.2-\(String(StreamNameHash.fnv1a64("d=30/alpha=0.2"), radix: 16)).jsonl")
        XCTAssertEqual(try UnitResultFiles.read(ids, in: scratch.url), results)
        let first = try String(contentsOf: scratch.url.appendingPathComponent("units/\(UnitResultFiles.fileName(for: "d=30/alpha=0.2"))"), encoding: .utf8)
        XCTAssertTrue(first.hasPrefix("{\"schema\":1,\"unit\":\"d=30/alpha=0.2\"}\n"), first)
    }

    func testUnitFileOfAnotherUnitOrMissingIsRefused() throws {
        let scratch = TemporaryDirectory()
        try UnitResultFiles.write(["a": Data("{}".utf8), "b": Data("[]".utf8)], in: scratch.url)
        let folder = scratch.url.appendingPathComponent("units")
        // A file renamed onto another unit's name.
        try FileManager.default.removeItem(at: folder.appendingPathComponent(UnitResultFiles.fileName(for: "b")))
        try FileManager.default.copyItem(at: folder.appendingPathComponent(UnitResultFiles.fileName(for: "a")),
                                         to: folder.appendingPathComponent(UnitResultFiles.fileName(for: "b")))
        XCTAssertThrowsError(try UnitResultFiles.read(["b"], in: scratch.url)) { error in
            XCTAssertTrue("\(error)".contains("holds work unit a, not b"), "\(error)")
        }
        XCTAssertThrowsError(try UnitResultFiles.read(["c"], in: scratch.url)) { error in
            XCTAssertTrue("\(error)".contains("the result of work unit c, listed in run.json, is missing"), "\(error)")
        }
    }

    // MARK: coverage

    func testCompleteShardsMerge() throws {
        let checked = try ShardMerge.check([
            part(shardRecord(1, of: 2, holding: ["d=10/alpha=0.3", "d=30/alpha=0.3"]), "a"),
            part(shardRecord(2, of: 2, holding: ["d=20/alpha=0.3", "d=30/alpha=0.45"]), "b"),
        ], units: units)
        XCTAssertEqual(checked, ShardMerge.Checked())
        // An empty shard is fine when the others cover everything; leaving it out is a warning.
        XCTAssertNoThrow(try ShardMerge.check([
            part(shardRecord(1, of: 2, holding: units.map(\.id.rawValue)), "a"), part(shardRecord(2, of: 2, holding: []), "b"),
        ], units: units))
        let alone = try ShardMerge.check([part(shardRecord(1, of: 2, holding: units.map(\.id.rawValue)), "a")], units: units)
        XCTAssertEqual(alone.warnings, ["shard 2/2 not given; the shards given hold every unit, so it holds none"])
    }

    func testMissingDuplicateAndForeignUnitsAreNamed() {
        let missing = refusal([part(shardRecord(1, of: 2, holding: ["d=10/alpha=0.3", "d=30/alpha=0.3"]), "runs/one")])
        XCTAssertTrue(missing.contains("2 of 4 work units are in no shard (d=20/alpha=0.3, d=30/alpha=0.45)"), missing)
        XCTAssertFalse(missing.contains("\n"))

        let duplicate = refusal([
            part(shardRecord(1, of: 2, holding: ["d=10/alpha=0.3", "d=30/alpha=0.3"]), "runs/one"),
            part(shardRecord(2, of: 2, holding: ["d=20/alpha=0.3", "d=30/alpha=0.45"]), "runs/two"),
            part(shardRecord(1, of: 2, holding: ["d=10/alpha=0.3", "d=30/alpha=0.3"]), "runs/copy"),
        ])
        XCTAssertTrue(duplicate.contains("work unit d=10/alpha=0.3 is in more than one shard: shard 1/2 (runs/one) and shard 1/2 (runs/copy)"), duplicate)
        XCTAssertTrue(duplicate.contains("work unit d=30/alpha=0.3 is in more than one shard"), duplicate)
        XCTAssertFalse(duplicate.contains("in no shard"), duplicate)

        let foreign = refusal([
            part(shardRecord(1, of: 1, holding: units.map(\.id.rawValue) + ["d=40/alpha=0.3"]), "runs/one"),
        ])
        XCTAssertTrue(foreign.contains("work units this plan does not have: d=40/alpha=0.3 (shard 1/1 (runs/one))"), foreign)
    }

    func testFullRunsAreNotShards() {
        var full = shardRecord(1, of: 1, holding: [])
        full.shard = nil
        let message = refusal([part(full, "runs/full")])
        XCTAssertTrue(message.contains("runs/full is a full run, not shards"), message)
    }

    // MARK: compatibility

    func testShardsOfDifferentRunsOrCodeAreRefused() {
        let all = units.map(\.id.rawValue)
        let seed = refusal([part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"), part(shardRecord(2, of: 2, holding: Array(all[2...]), seed: 8), "b")])
        XCTAssertTrue(seed.contains("seed: 7 in shard 1/2 (a), 8 in shard 2/2 (b)"), seed)

        var other = shardRecord(2, of: 2, holding: Array(all[2...]))
        other.parameters = .object(["d": .array([.number(10), .number(20)])])
        other.overrides = ["replicates": "8"]
        let parameters = refusal([part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"), part(other, "b")])
        XCTAssertTrue(parameters.contains("--set overrides: none in shard 1/2 (a), replicates=8 in shard 2/2 (b)"), parameters)
        XCTAssertTrue(parameters.contains("parameters differ between shard 1/2 (a) and shard 2/2 (b): d: [10, 20, 30] → [10, 20]"), parameters)

        let commit = refusal([part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"),
                              part(shardRecord(2, of: 2, holding: Array(all[2...]), commit: "def"), "b")])
        XCTAssertTrue(commit.contains("code version: abc in shard 1/2 (a), def in shard 2/2 (b)"), commit)
        let dirty = refusal([part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"),
                             part(shardRecord(2, of: 2, holding: Array(all[2...]), dirty: true), "b")])
        XCTAssertTrue(dirty.contains("code version: abc in shard 1/2 (a), abc (modified checkout) in shard 2/2 (b)"), dirty)
    }

    func testModifiedCheckoutOnBothSidesIsAWarning() throws {
        let all = units.map(\.id.rawValue)
        let checked = try ShardMerge.check([part(shardRecord(1, of: 2, holding: Array(all[..<2]), dirty: true), "a"),
                                            part(shardRecord(2, of: 2, holding: Array(all[2...]), dirty: true), "b")], units: units)
        XCTAssertEqual(checked.warnings.count, 1)
        XCTAssertTrue(checked.warnings[0].contains("modified checkout of abc"), checked.warnings[0])
    }

    func testComputeRelevantPlatformDifferencesRefuseUnlessAllowed() throws {
        let all = units.map(\.id.rawValue)
        let parts = [
            part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"),
            part(shardRecord(2, of: 2, holding: Array(all[2...]), fingerprint: PlatformFingerprintTests.fingerprint(core: "Zen")), "b"),
        ]
        let message = refusal(parts)
        XCTAssertTrue(message.contains("the shards computed on different platforms (OpenBLAS core: Cooperlake → Zen (shard 1/2 (a) → shard 2/2 (b)))"), message)
        XCTAssertTrue(message.contains("--allow-mixed-platforms"), message)
        let allowed = try ShardMerge.check(parts, units: units, allowMixedPlatforms: true)
        XCTAssertEqual(allowed.mixedPlatform, ["OpenBLAS core: Cooperlake → Zen (shard 1/2 (a) → shard 2/2 (b))"])

        // A missing fingerprint cannot be compared.
        let unknown = refusal([parts[0], part(shardRecord(2, of: 2, holding: Array(all[2...]), fingerprint: nil), "b")])
        XCTAssertTrue(unknown.contains("records no platform fingerprint"), unknown)
    }

    func testDescriptivePlatformDifferencesOnlyWarn() throws {
        let all = units.map(\.id.rawValue)
        let checked = try ShardMerge.check([
            part(shardRecord(1, of: 2, holding: Array(all[..<2])), "a"),
            part(shardRecord(2, of: 2, holding: Array(all[2...]), fingerprint: PlatformFingerprintTests.fingerprint(model: "Other CPU")), "b"),
        ], units: units)
        XCTAssertEqual(checked.mixedPlatform, [])
        XCTAssertEqual(checked.warnings.count, 1)
        XCTAssertTrue(checked.warnings[0].hasPrefix("CPU: AMD EPYC"), checked.warnings[0])
    }
}
