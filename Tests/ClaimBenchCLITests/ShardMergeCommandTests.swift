import ArgumentParser
import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// `run --shard`, `merge` and `check --from`, end to end on a five-unit test experiment.
final class ShardMergeCommandTests: XCTestCase {
    private func makeWorkspace(_ scratch: TemporaryDirectory) throws -> Workspace {
        scratch.write(chunkedUniformDeclaration(), to: "suites/chunks.toml")
        scratch.write(uniformMeanDeclaration(), to: "suites/uniform.toml")
        return try Workspace(root: scratch.url.path, experiments: [
            RegisteredExperiment(ChunkedUniformExperiment.self), RegisteredExperiment(UniformMeanExperiment.self),
        ])
    }

    /// Parses `arguments` as `command` and runs it on `workspace`: the exit status and message.
    private func execute<C: ParsableCommand>(_ command: C.Type, _ arguments: [String], in workspace: Workspace,
                                             _ body: (C, Workspace) throws -> Void) -> (Int32, String?) {
        do {
            try body(try C.parse(arguments), workspace)
            return (0, nil)
        } catch {
            if error is ExitCode || error is CLIError || error is PlanRefusal || !(String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")) {
                return ClaimBenchCommand.outcome(of: error)
            }
            return (C.exitCode(for: error).rawValue, C.fullMessage(for: error))
        }
    }

    private func run(_ arguments: [String], _ workspace: Workspace) -> (Int32, String?) {
        execute(RunCommand.self, arguments, in: workspace) { try $0.run(in: $1) }
    }

    private func merge(_ arguments: [String], _ workspace: Workspace) -> (Int32, String?) {
        execute(MergeCommand.self, arguments, in: workspace) { try $0.run(in: $1) }
    }

    private func check(_ arguments: [String], _ workspace: Workspace) -> (Int32, String?) {
        execute(CheckCommand.self, arguments, in: workspace) { try $0.run(in: $1) }
    }

    /// The only run directory under `folder`.
    private func onlyRun(in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let runs = ResultStore(repositoryRoot: folder).runDirectories(under: folder)
        XCTAssertEqual(runs.count, 1, "\(runs)", file: file, line: line)
        return try XCTUnwrap(runs.first, file: file, line: line)
    }

    func testShardsMergeToTheUnshardedRunBitForBitAndCheckFromPasses() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let whole = scratch.url.appendingPathComponent("whole"), shards = scratch.url.appendingPathComponent("shards")
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--out", whole.path], workspace).0, 0)
        let wholeDirectory = try onlyRun(in: whole)
        let wholeRecord = try workspace.store.loadRecord(in: wholeDirectory)
        try workspace.store.writeGolden(GoldenFile(record: wholeRecord, reason: "first recording"))

        for strategy in ["cost-balanced", "round-robin"] {
            let folder = shards.appendingPathComponent(strategy)
            for index in 1...2 {
                let result = run(["chunks", "--preset", "smoke", "--shard", "\(index)/2", "--shard-strategy", strategy,
                                  "--out", folder.appendingPathComponent("\(index)").path], workspace)
                XCTAssertEqual(result.0, 0, result.1 ?? "")
            }
            let parts = try (1...2).map { try onlyRun(in: folder.appendingPathComponent("\($0)")) }
            let partials = try parts.map { try workspace.store.loadRecord(in: $0) }
            XCTAssertEqual(partials.map { $0.shard?.label }, ["1/2", "2/2"])
            XCTAssertTrue(partials.allSatisfy { $0.metrics.isEmpty && $0.claims.isEmpty && $0.shard?.totalUnits == 5 })
            XCTAssertTrue(parts[0].lastPathComponent.hasSuffix("-chunks-smoke-shard-1of2"), parts[0].lastPathComponent)
            let held = partials.map { $0.shard!.units.map(\.rawValue) }
            XCTAssertEqual(held, strategy == "round-robin"
                ? [["chunk=0", "chunk=2", "chunk=4"], ["chunk=1", "chunk=3"]]
                : [["chunk=0", "chunk=1", "chunk=4"], ["chunk=2", "chunk=3"]])

            let merged = folder.appendingPathComponent("merged")
            let status = merge(parts.map(\.path) + ["--out", merged.path], workspace)
            XCTAssertEqual(status.0, 0, status.1 ?? "")
            let mergedDirectory = try onlyRun(in: merged)
            XCTAssertTrue(mergedDirectory.lastPathComponent.hasSuffix("-chunks-smoke-merged"), mergedDirectory.lastPathComponent)
            let mergedRecord = try workspace.store.loadRecord(in: mergedDirectory)
            XCTAssertNil(mergedRecord.shard)
            XCTAssertEqual(Set(mergedRecord.metrics.keys), Set(wholeRecord.metrics.keys))
            for (name, metric) in wholeRecord.metrics {
                XCTAssertEqual(mergedRecord.metrics[name]?.value.bitPattern, metric.value.bitPattern, "\(strategy): \(name)")
            }
            XCTAssertEqual(mergedRecord.claims.map(\.verdict), wholeRecord.claims.map(\.verdict))
            XCTAssertEqual(mergedRecord.claims.map(\.verdict), [.reproduced])
            XCTAssertEqual(try String(contentsOf: mergedDirectory.appendingPathComponent("values.csv"), encoding: .utf8),
                           try String(contentsOf: wholeDirectory.appendingPathComponent("values.csv"), encoding: .utf8))
            let notes = try XCTUnwrap(mergedRecord.notes["merged_from"])
            XCTAssertTrue(notes.contains("shard 1/2 (\(held[0].count) units)") && notes.contains("shard 2/2 (\(held[1].count) units)"), notes)
            XCTAssertEqual(mergedRecord.notes["chunks"], "5", "the experiment's own notes are kept")

            let checked = check(["chunks", "--from", mergedDirectory.path], workspace)
            XCTAssertEqual(checked.0, 0, checked.1 ?? "")
        }
    }

    func testMergeRefusesMissingAndDuplicatedShardsNamingTheUnits() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        for index in 1...3 {
            XCTAssertEqual(run(["chunks", "--preset", "smoke", "--shard", "\(index)/3", "--out", scratch.url.appendingPathComponent("s\(index)").path], workspace).0, 0)
        }
        let parts = try (1...3).map { try onlyRun(in: scratch.url.appendingPathComponent("s\($0)")) }
        let units = try parts.map { try workspace.store.loadRecord(in: $0).shard!.units.map(\.rawValue) }

        let missing = merge([parts[0].path, parts[1].path], workspace)
        XCTAssertEqual(missing.0, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(missing.1?.contains("work units are in no shard (\(units[2].joined(separator: ", ")))") == true, missing.1 ?? "")

        let duplicated = merge(parts.map(\.path) + [parts[2].path], workspace)
        XCTAssertEqual(duplicated.0, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(duplicated.1?.contains("work unit \(units[2][0]) is in more than one shard: shard 3/3") == true, duplicated.1 ?? "")
        XCTAssertEqual(workspace.store.runDirectories(), [], "a refused merge writes nothing")

        // A shard of another suite, or a full run, is not merged with them.
        let whole = scratch.url.appendingPathComponent("whole")
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--out", whole.path], workspace).0, 0)
        let full = merge([parts[0].path, parts[1].path, try onlyRun(in: whole).path], workspace)
        XCTAssertTrue(full.1?.contains("is a full run, not shards") == true, full.1 ?? "")

        // A unit file that went missing is named.
        let gone = parts[0].appendingPathComponent("units/\(UnitResultFiles.fileName(for: WorkUnitID(units[0][0])))")
        try FileManager.default.removeItem(at: gone)
        let lost = merge(parts.map(\.path), workspace)
        XCTAssertEqual(lost.0, ExitStatus.runFailed.rawValue)
        XCTAssertTrue(lost.1?.contains("the result of work unit \(units[0][0]), listed in run.json, is missing") == true, lost.1 ?? "")
    }

    func testPartialRunsAreRefusedWhereAFullRunIsNeeded() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--shard", "1/2"], workspace).0, 0)
        let partial = try XCTUnwrap(workspace.store.runDirectories().first)
        XCTAssertNil(workspace.store.latestRun(of: "chunks"), "latest passes over partial runs")

        let checked = check(["chunks", "--from", partial.path], workspace)
        XCTAssertEqual(checked.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(checked.1?.contains("a partial run (shard 1/2, ") == true, checked.1 ?? "")
        XCTAssertTrue(checked.1?.contains("claimbench merge") == true, checked.1 ?? "")

        let golden = execute(GoldenCommand.self, ["chunks", "--preset", "smoke", "--from", partial.path, "--perturb", "none"], in: workspace) {
            _ = try $0.storedRecord(URL(fileURLWithPath: partial.path), plan: try SuitePlanner.plan(
                $1.declarations[0], preset: .smoke, experiment: try $1.experiment(for: $1.declarations[0]), memoryBudget: .infinity), workspace: $1)
        }
        XCTAssertEqual(golden.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(golden.1?.contains("a partial run (shard 1/2") == true, golden.1 ?? "")
    }

    func testShardOptionsAreUsageErrors() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let two = run(["chunks", "uniform", "--preset", "smoke", "--shard", "1/2"], workspace)
        XCTAssertEqual(two.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(two.1?.contains("name exactly one") == true, two.1 ?? "")
        XCTAssertEqual(run(["--preset", "smoke", "--shard", "1/2"], workspace).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--shard", "3/2"], workspace).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--shard", "1/2", "--shard-strategy", "random"], workspace).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(run(["chunks", "--preset", "smoke", "--shard-strategy", "round-robin"], workspace).0, ExitStatus.usage.rawValue)
        XCTAssertEqual(workspace.store.runDirectories(), [])

        // A shard of a preset with fewer units than shards holds nothing, and still merges.
        let uniform = (1...2).map { run(["uniform", "--preset", "smoke", "--shard", "\($0)/2"], workspace) }
        XCTAssertEqual(uniform.map(\.0), [0, 0])
        let parts = workspace.store.runDirectories()
        let held = try parts.map { try workspace.store.loadRecord(in: $0).shard!.units.count }
        XCTAssertEqual(held.sorted(), [0, 1])
        XCTAssertEqual(merge(parts.map(\.path), workspace).0, 0)
    }

    func testCheckFromRefusesAnotherSuitesRunAndNeedsOneSuite() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        XCTAssertEqual(run(["uniform", "--preset", "smoke"], workspace).0, 0)
        let directory = try XCTUnwrap(workspace.store.runDirectories().first)
        try workspace.store.writeGolden(GoldenFile(record: try workspace.store.loadRecord(in: directory), reason: "x"))
        let other = check(["chunks", "--from", directory.path], workspace)
        XCTAssertEqual(other.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(other.1?.contains("is a run of uniform, not chunks") == true, other.1 ?? "")
        XCTAssertEqual(check(["--from", directory.path], workspace).0, ExitStatus.usage.rawValue)
        let wrongPreset = check(["uniform", "--preset", "default", "--from", directory.path], workspace)
        XCTAssertTrue(wrongPreset.1?.contains("is a smoke run, not default") == true, wrongPreset.1 ?? "")
        XCTAssertEqual(check(["uniform", "--from", directory.path], workspace).0, 0)

        // A stored run whose value moved against the golden fails check --from, as a fresh run would.
        var moved = try workspace.store.loadRecord(in: directory)
        moved.metrics["checksum"]!.value += 1
        try workspace.store.write(moved, tables: [:], to: directory)
        XCTAssertEqual(check(["uniform", "--from", directory.path], workspace).0, ExitStatus.regression.rawValue)
    }
}
