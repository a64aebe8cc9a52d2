import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// The run → golden → check workflow on a tiny deterministic experiment.
final class SuiteWorkflowTests: XCTestCase {
    private func makeWorkspace(_ scratch: TemporaryDirectory, declaration: String = uniformMeanDeclaration()) throws -> Workspace {
        scratch.write(declaration, to: "suites/uniform.toml")
        return try Workspace(root: scratch.url.path, experiments: [RegisteredExperiment(UniformMeanExperiment.self)])
    }

    /// Without the result cache, so that a second run computes again (ResultCacheTests covers the cache).
    private func runSmoke(_ workspace: Workspace) throws -> SuiteExecution.Result {
        let execution = SuiteExecution(workspace: workspace, threads: 1)
        return try execution.run(try execution.plan(workspace.declarations, preset: .smoke)[0], options: .init(cache: nil))
    }

    func testRunWritesRecordAndTablesThatReadBackIdentically() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let result = try runSmoke(workspace)
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.directory.appendingPathComponent("values.csv").path))
        let reloaded = try workspace.store.loadRecord(in: result.directory)
        XCTAssertEqual(reloaded, result.record)
        XCTAssertEqual(reloaded.metrics["mean"]?.value.bitPattern, result.record.metrics["mean"]?.value.bitPattern)
        XCTAssertEqual(reloaded.claims.map(\.verdict), [.reproduced])
        XCTAssertEqual(reloaded.seed, 7)
        XCTAssertEqual(reloaded.provenance.blasThreads, 1)
        XCTAssertNotEqual(reloaded.provenance.blasConfiguration, "")
        // run.json carries the platform fingerprint, and so does a golden recorded from it.
        XCTAssertEqual(reloaded.provenance.fingerprint?.workerThreads, 1)
        XCTAssertEqual(reloaded.provenance.fingerprint?.blas?.threads, 1)
        XCTAssertNotNil(reloaded.provenance.fingerprint?.kernelPaths["VectorExp"])
        XCTAssertEqual(GoldenFile(record: reloaded, reason: "x").recordedFrom.fingerprint, reloaded.provenance.fingerprint)
        XCTAssertEqual(workspace.store.latestRun(of: "uniform")?.standardizedFileURL.path, result.directory.standardizedFileURL.path)
    }

    /// The record keeps each claim's source; the report puts our own diagnostics on our side,
    /// with nothing in the paper column, and names every claim's source.
    func testClaimSourcesReachTheRecordAndTheReport() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let result = try runSmoke(workspace)
        let reloaded = try workspace.store.loadRecord(in: result.directory)
        XCTAssertEqual(reloaded.claims.first?.source, ClaimSource(kind: .ours, verified: false, location: "the fixture's own law"))
        XCTAssertEqual(reloaded.claims.first?.maxUnmeasurable, 0)

        let declaration = workspace.declarations[0]
        let ours = ReportCommand.section(declaration, record: reloaded, run: result.directory, shown: "run", reportFolder: scratch.url, root: scratch.url)
        XCTAssertTrue(ours.contains("| paper | source | ours | verdict |"), ours)
        XCTAssertTrue(ours.contains("From run `run`."), ours)
        XCTAssertTrue(ours.contains("| — (our diagnostic) | ours (not the paper's statement): the fixture's own law | 1/2: "), ours)

        var paperRecord = reloaded
        paperRecord.claims[0].source = ClaimSource(kind: .abstract, verified: false, location: "arXiv abstract")
        let paper = ReportCommand.section(declaration, record: paperRecord, run: result.directory, shown: "run", reportFolder: scratch.url, root: scratch.url)
        XCTAssertTrue(paper.contains("| 1/2 | abstract, not verified against the paper's body: arXiv abstract | "), paper)
        // Records written before sources existed still load and say so.
        paperRecord.claims[0].source = nil
        XCTAssertTrue(ReportCommand.section(declaration, record: paperRecord, run: result.directory, shown: "run", reportFolder: scratch.url, root: scratch.url).contains("| not recorded |"))
    }

    func testSameSeedGivesBitIdenticalMetrics() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let first = try runSmoke(workspace).record.metrics
        let second = try runSmoke(workspace).record.metrics
        for (name, metric) in first where metric.metricClass != .timing {
            XCTAssertEqual(metric.value.bitPattern, second[name]?.value.bitPattern, "\(name) moved between identical runs")
        }
    }

    func testGoldenRoundTripThenDeviationIsCaught() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let declaration = workspace.declarations[0]
        XCTAssertThrowsError(try workspace.store.loadGolden("uniform", .smoke)) { error in
            guard case GoldenFileError.missing = error else { return XCTFail("expected missing, got \(error)") }
            XCTAssertTrue("\(error)".contains("claimbench golden uniform --preset smoke"), "\(error)")
        }
        let record = try runSmoke(workspace).record
        try workspace.store.writeGolden(GoldenFile(record: record, reason: "first recording"))
        let golden = try workspace.store.loadGolden("uniform", .smoke)
        XCTAssertNil(golden.metrics["seconds"], "timings must never be golden")
        XCTAssertTrue(try GoldenComparison(record: record, golden: golden, declaration: declaration).passed)

        // A numeric metric outside its declared rel 1e-12 tolerance fails; inside it passes.
        var moved = record
        moved.metrics["mean"]!.value *= 1 + 1e-9
        XCTAssertEqual(try GoldenComparison(record: moved, golden: golden, declaration: declaration).failures.map(\.metric), ["mean"])
        moved.metrics["mean"]!.value = record.metrics["mean"]!.value * (1 + 1e-13)
        XCTAssertTrue(try GoldenComparison(record: moved, golden: golden, declaration: declaration).passed)

        // An exact metric must match bit for bit.
        var flipped = record
        flipped.metrics["checksum"]!.value = record.metrics["checksum"]!.value.nextUp
        let failure = try GoldenComparison(record: flipped, golden: golden, declaration: declaration).failures
        XCTAssertEqual(failure.map(\.metric), ["checksum"])
        XCTAssertEqual(failure.first?.status, .deviated)

        // A metric that vanished, or a new one, fails too.
        var renamed = record
        renamed.metrics["count2"] = renamed.metrics.removeValue(forKey: "count")
        let statuses = try GoldenComparison(record: renamed, golden: golden, declaration: declaration).failures.map(\.status)
        XCTAssertEqual(statuses, [.missingNow, .notInGolden])
    }

    func testVerdictChangesAgainstTheGoldenFailUnlessTheClaimIsAboutTimings() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let declaration = workspace.declarations[0]
        let record = try runSmoke(workspace).record
        let golden = GoldenFile(record: record, reason: "first recording")
        XCTAssertEqual(golden.verdicts, ["mean-half": .reproduced])
        var changed = record
        changed.claims[0].verdict = .notReproduced
        let comparison = try GoldenComparison(record: changed, golden: golden, declaration: declaration)
        XCTAssertEqual(comparison.claimFailures.map(\.claim), ["mean-half"])
        XCTAssertFalse(comparison.passed)
        changed.claims[0].isTiming = true
        let timing = try GoldenComparison(record: changed, golden: golden, declaration: declaration)
        XCTAssertEqual(timing.claims.first?.status, .timingMoved)
        XCTAssertTrue(timing.passed, "a timing verdict must never gate CI")
    }

    func testAChangedPresetIsNamedNotListedAsMissingMetrics() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        let record = try runSmoke(workspace).record
        try workspace.store.writeGolden(GoldenFile(record: record, reason: "first recording"))
        let golden = try workspace.store.loadGolden("uniform", .smoke)
        XCTAssertEqual(golden.parameters, record.parameters, "the golden keeps the parameters it was recorded with")

        // The declaration's smoke preset moves from n = 200 to n = 300: check names the key.
        let edited = try makeWorkspace(scratch, declaration: uniformMeanDeclaration().replacingOccurrences(of: "n = 200", with: "n = 300"))
        let rerun = try runSmoke(edited).record
        let comparison = try GoldenComparison(record: rerun, golden: golden, declaration: edited.declarations[0])
        XCTAssertEqual(comparison.parameterChanges, ["n: 200 → 300"])
        XCTAssertFalse(comparison.passed)

        // Recording from the stale run is refused; a golden from before parameters were recorded compares as before.
        XCTAssertEqual(GoldenComparison.changes(from: record.parameters, to: rerun.parameters), ["n: 200 → 300"])
        var legacy = golden
        legacy.parameters = nil
        XCTAssertTrue(try GoldenComparison(record: record, golden: legacy, declaration: workspace.declarations[0]).passed)
        XCTAssertEqual(GoldenComparison.changes(from: .object(["a": .number(1)]), to: .object(["b": .string("x")])),
                       ["a: 1 → (absent)", "b: (absent) → \"x\""])
    }

    func testNumericMetricWithoutToleranceIsADeclarationError() throws {
        let scratch = TemporaryDirectory()
        let declaration = uniformMeanDeclaration().replacingOccurrences(of: "[[golden]]\nmetric = \"mean\"\nrel = 1e-12\n", with: "")
        let workspace = try makeWorkspace(scratch, declaration: declaration)
        // Found while planning, before the run.
        XCTAssertThrowsError(try runSmoke(workspace)) { error in
            XCTAssertTrue("\(error)".hasPrefix("suites/uniform.toml: golden: numeric metric \"mean\" has no tolerance"), "\(error)")
        }
        XCTAssertEqual(workspace.store.runDirectories(), [])
    }

    func testCorruptGoldenSaysHowToRestoreIt() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        scratch.write("{ not json", to: "results/golden/uniform/smoke.json")
        XCTAssertThrowsError(try workspace.store.loadGolden("uniform", .smoke)) { error in
            XCTAssertTrue("\(error)".hasPrefix("results/golden/uniform/smoke.json: golden file unreadable"), "\(error)")
            XCTAssertTrue("\(error)".contains("git checkout -- results/golden/uniform/smoke.json"), "\(error)")
        }
    }

    func testClaimNotReproducedIsARegression() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch, declaration: uniformMeanDeclaration(atLeast: 0.9))
        let record = try runSmoke(workspace).record
        XCTAssertEqual(record.claims.first?.verdict, .notReproduced)
        XCTAssertEqual(record.claimStatus, .regression)
    }

    func testClaimOnUnknownMetricNamesTheClaim() throws {
        let scratch = TemporaryDirectory()
        let declaration = uniformMeanDeclaration().replacingOccurrences(of: "metric = \"mean\"\nat_least", with: "metric = \"median\"\nat_least")
        let workspace = try makeWorkspace(scratch, declaration: declaration)
        XCTAssertThrowsError(try runSmoke(workspace)) { error in
            XCTAssertTrue("\(error)".contains("suites/uniform.toml: claims (id = \"mean-half\"): metric \"median\" matches nothing"), "\(error)")
        }
    }

    func testFigureWithoutDataNamesTheFigure() throws {
        let scratch = TemporaryDirectory()
        let declaration = uniformMeanDeclaration().replacingOccurrences(of: "data = \"values.csv\"", with: "data = \"nothing.csv\"")
        let workspace = try makeWorkspace(scratch, declaration: declaration)
        XCTAssertThrowsError(try runSmoke(workspace)) { error in
            XCTAssertTrue("\(error)".contains("suites/uniform.toml: figures[0].data: figure values reads \"nothing.csv\""), "\(error)")
            XCTAssertTrue("\(error)".contains("values.csv"), "\(error)")
        }
    }

    func testBadPresetValueNamesTheKey() throws {
        let scratch = TemporaryDirectory()
        let declaration = uniformMeanDeclaration().replacingOccurrences(of: "n = 200\n", with: "n = 0\n")
        let workspace = try makeWorkspace(scratch, declaration: declaration)
        let execution = SuiteExecution(workspace: workspace, threads: 1)
        XCTAssertThrowsError(try execution.plan(workspace.declarations, preset: .smoke)) { error in
            XCTAssertEqual("\(error)", "suites/uniform.toml: presets.smoke.n: must be at least 1, got 0")
        }
        XCTAssertThrowsError(try execution.plan(workspace.declarations, preset: "huge")) { error in
            XCTAssertTrue("\(error)".contains("presets.huge: no such preset"), "\(error)")
            XCTAssertEqual((error as? PlanRefusal)?.status, .usage)
        }
    }

    func testUnknownSuiteIsAUsageErrorListingSuites() throws {
        let scratch = TemporaryDirectory()
        let workspace = try makeWorkspace(scratch)
        XCTAssertThrowsError(try workspace.select(["uniforn"])) { error in
            XCTAssertEqual((error as? CLIError)?.status, .usage)
            XCTAssertTrue("\(error)".contains("suites: uniform"), "\(error)")
        }
    }
}
