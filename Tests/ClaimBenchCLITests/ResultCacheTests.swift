import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// The result cache through `run`, `check`, `golden` and `why` (docs/ARCHITECTURE.md, "Result
/// cache"): in process on a three-unit experiment, and end to end through the claimbench
/// executable on a real suite, with processes sharing one cache folder.
final class ResultCacheTests: XCTestCase {
    /// Three units `v=<value>`, each the mean of 50 uniforms from its own stream plus a wall-clock
    /// timing; `fail_at` makes one unit throw. Counts the units it computes.
    enum CachedUnitsExperiment: ShardableExperiment {
        struct Parameters: Encodable, Sendable {
            var values: [Int]
            var failAt: Int?
        }

        struct UnitResult: Codable, Sendable {
            var mean: Double
            var seconds: Double
        }

        static let id: ExperimentID = "test.cached-units"
        static let computed = Counter()

        static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
            let parameters = Parameters(values: try table.required("values"), failAt: try table.optional("fail_at"))
            try table.finish()
            return parameters
        }

        static func plannedOutput(_ parameters: Parameters) -> PlannedOutput {
            var planned = PlannedOutput()
            for value in parameters.values {
                planned.add("v=\(value)/mean", .numeric)
                planned.add("v=\(value)/seconds", .timing, unit: "s")
            }
            return planned
        }

        static func peakMemory(_ parameters: Parameters) -> MemoryEstimate { MemoryEstimate(bytes: 1024, keys: []) }

        static func workUnits(_ parameters: Parameters) -> [WorkUnit] { parameters.values.map { WorkUnit(WorkUnitID("v=\($0)")) } }

        struct Refused: Error, CustomStringConvertible {
            var description: String { "unit refused by fail_at" }
        }

        static func runUnit(_ unit: WorkUnitID, parameters: Parameters, context: RunContext) throws -> UnitResult {
            if let failAt = parameters.failAt, unit.rawValue == "v=\(failAt)" { throw Refused() }
            computed.add()
            let start = Stopwatch.now()
            let values = context.streams.stream("test/\(unit)").uniforms(50)
            return UnitResult(mean: values.reduce(0, +) / 50, seconds: Stopwatch.now() - start)
        }

        static func assemble(_ results: [UnitResult], parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
            var output = ExperimentOutput()
            for (value, result) in zip(parameters.values, results) {
                output.metrics[MetricName("v=\(value)/mean")] = .numeric(result.mean)
                output.metrics[MetricName("v=\(value)/seconds")] = .timing(result.seconds, unit: "s")
            }
            return output
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    static let declaration = """
        id = "units"
        title = "Three units from a cache"
        experiment = "test.cached-units"
        seed = 7

        [paper]
        title = "A test paper"
        authors = "Nobody"
        venue = "Tests 2026"
        url = "https://example.org"
        locator = "Eq. 1"

        [presets.smoke]
        values = [1, 2, 3]

        [presets.default]
        values = [1, 2, 3, 4]

        [[claims]]
        id = "mean-half"
        statement = "each unit's mean is at least 0.2"
        metric = "*/mean"
        at_least = 0.2
        paper_value = "1/2"
        source = { kind = "ours", where = "the fixture's own law" }

        [[golden]]
        metric = "*/mean"
        rel = 1e-12
        """

    /// The code fingerprint a test build gives this test module's experiments.
    static func code(_ source: String = "s1") -> CodeFingerprints {
        let module = RegisteredExperiment(CachedUnitsExperiment.self).module
        return CodeFingerprints(modules: [module: CodeFingerprint(
            module: module, closure: "closure-\(source)", sources: [module: source, "HarnessCore": "h", CodeFingerprint.manifest: "m"])])
    }

    private func workspace(_ scratch: TemporaryDirectory, code: CodeFingerprints = code(), declaration: String = declaration) throws -> Workspace {
        scratch.write(declaration, to: "suites/units.toml")
        return try Workspace(root: scratch.url.path, experiments: [RegisteredExperiment(CachedUnitsExperiment.self)], codeFingerprints: code)
    }

    private func run(_ workspace: Workspace, cache: UnitCacheSession.Mode? = .readWrite, overrides: [String] = [], seed: UInt64? = nil) throws -> RunRecord {
        let execution = SuiteExecution(workspace: workspace, threads: 1)
        let options = SuiteExecution.Options(seed: seed, overrides: overrides, cache: cache)
        return try execution.run(try execution.plan(workspace.declarations, preset: .smoke, options: options)[0], options: options).record
    }

    private func why(_ workspace: Workspace, overrides: [String] = [], seed: UInt64? = nil) throws -> [String] {
        try WhyCommand.explain(workspace: workspace, suites: workspace.declarations, preset: .smoke, seed: seed, overrides: overrides, threads: 1)
    }

    func testASecondRunTakesEveryUnitFromTheCacheWithIdenticalMetrics() throws {
        let scratch = TemporaryDirectory()
        let workspace = try workspace(scratch)
        let before = CachedUnitsExperiment.computed.value
        let first = try run(workspace)
        XCTAssertEqual(CachedUnitsExperiment.computed.value - before, 3)
        XCTAssertEqual(first.provenance.unitCache, UnitCacheUse(mode: .readWrite, units: 3, fromCache: 0))
        XCTAssertEqual(first.provenance.codeFingerprint?.closure, "closure-s1", "run.json records the experiment's code fingerprint")

        let second = try run(workspace)
        XCTAssertEqual(CachedUnitsExperiment.computed.value - before, 3, "no unit computed again")
        XCTAssertEqual(second.provenance.unitCache?.summary, "3 of 3 units from the cache")
        // Every metric bit for bit, the timings included: the key (platform too) is the same.
        XCTAssertEqual(second.metrics.keys.sorted(), first.metrics.keys.sorted())
        for (name, metric) in first.metrics { XCTAssertEqual(second.metrics[name]?.value.bitPattern, metric.value.bitPattern, "\(name)") }
        XCTAssertEqual(second.claims.map(\.verdict), first.claims.map(\.verdict))
        // And it reads back from run.json so.
        let stored = try workspace.store.loadRecord(in: try XCTUnwrap(workspace.store.runDirectories().last))
        XCTAssertEqual(stored.provenance.unitCache?.fromCache, 3)

        // --no-cache recomputes every unit and refreshes the entries.
        let fresh = try run(workspace, cache: .refresh)
        XCTAssertEqual(CachedUnitsExperiment.computed.value - before, 6)
        XCTAssertEqual(fresh.provenance.unitCache, UnitCacheUse(mode: .refresh, units: 3, fromCache: 0))
        XCTAssertEqual(fresh.metrics["v=2/mean"]?.value.bitPattern, first.metrics["v=2/mean"]?.value.bitPattern)
        XCTAssertEqual(try run(workspace).provenance.unitCache?.fromCache, 3)
        XCTAssertEqual(try why(workspace), [
            "units (smoke, seed 7): 3 of 3 units cached, 0 would run", "  v=1  cached", "  v=2  cached", "  v=3  cached",
        ])
    }

    func testWhyExplainsEachRerunAndRunsNothing() throws {
        let scratch = TemporaryDirectory()
        let workspace = try workspace(scratch)
        XCTAssertEqual(try why(workspace), [
            "units (smoke, seed 7): 0 of 3 units cached, 3 would run", "  v=1  never run", "  v=2  never run", "  v=3  never run",
        ])
        _ = try run(workspace)
        let computed = CachedUnitsExperiment.computed.value
        // A parameter edit through --set: the units that remain name it; the new one was never run.
        XCTAssertEqual(try why(workspace, overrides: ["values=[1, 2, 4]"]), [
            "units (smoke, seed 7): 0 of 3 units cached, 3 would run",
            "  v=1  parameter `values` [1, 2, 3] → [1, 2, 4]",
            "  v=2  parameter `values` [1, 2, 3] → [1, 2, 4]",
            "  v=4  never run",
        ])
        XCTAssertEqual(try why(workspace, seed: 8)[1], "  v=1  seed 7 → 8")
        XCTAssertThrowsError(try why(workspace, overrides: ["nosuchkey=1"])) { XCTAssertEqual(($0 as? CLIError)?.status, .usage) }
        // A source edit in the experiment's module.
        let edited = try self.workspace(scratch, code: Self.code("s2"))
        XCTAssertEqual(try why(edited)[1], "  v=1  source of \(RegisteredExperiment(CachedUnitsExperiment.self).module) changed")
        // The declaration file, edited without touching the preset (a claim's wording).
        let reworded = try self.workspace(scratch, declaration: Self.declaration.replacingOccurrences(of: "at least 0.2", with: "at least one fifth"))
        XCTAssertEqual(try why(reworded)[1], "  v=1  suites/units.toml changed")
        XCTAssertEqual(CachedUnitsExperiment.computed.value, computed, "why runs nothing")
        // The same edits, run: the rerun recomputes all three units, and the cache then has them.
        XCTAssertEqual(try run(reworded).provenance.unitCache?.fromCache, 0)
        XCTAssertEqual(try why(reworded)[0], "units (smoke, seed 7): 3 of 3 units cached, 0 would run")
    }

    func testAUnitThatThrowsIsNeverCached() throws {
        let scratch = TemporaryDirectory()
        let workspace = try workspace(scratch, declaration: Self.declaration.replacingOccurrences(of: "values = [1, 2, 3]", with: "values = [1, 2, 3]\nfail_at = 2"))
        XCTAssertThrowsError(try run(workspace)) { XCTAssertTrue("\($0)".contains("unit refused"), "\($0)") }
        XCTAssertEqual(try why(workspace), [
            "units (smoke, seed 7): 1 of 3 units cached, 2 would run", "  v=1  cached", "  v=2  never run", "  v=3  never run",
        ])
    }

    func testWithoutACodeFingerprintTheCacheIsOffAndSaysWhy() throws {
        let scratch = TemporaryDirectory()
        let workspace = try workspace(scratch, code: CodeFingerprints(modules: [:]))
        let record = try run(workspace)
        XCTAssertEqual(record.provenance.unitCache?.mode, .off)
        XCTAssertTrue(record.provenance.unitCache?.summary.contains("no code fingerprint for module") == true, "\(String(describing: record.provenance.unitCache))")
        XCTAssertNil(record.provenance.codeFingerprint)
        XCTAssertEqual(try run(workspace).provenance.unitCache?.fromCache, 0)
        XCTAssertTrue(try why(workspace)[0].contains("cache off"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.cache.directory.path))
    }

    func testTheBuildFingerprintsEveryExperimentModuleAndItsImports() throws {
        for experiment in ExperimentRegistry.all {
            let code = try XCTUnwrap(CodeFingerprints.built.fingerprint(of: experiment), "\(experiment.module)")
            XCTAssertEqual(code.module, experiment.module)
            XCTAssertEqual(code.closure.count, 64)
            // The closure names the module itself, what it imports, and Package.swift.
            for module in [experiment.module, "HarnessCore", "LinearAlgebra", "VectorKernels", "COpenBLAS", CodeFingerprint.manifest] {
                XCTAssertEqual(code.sources[module]?.count, 64, "\(experiment.module): \(module)")
            }
            XCTAssertNil(code.sources["ClaimBenchCLI"], "the CLI is not imported by an experiment")
        }
        XCTAssertEqual(ExperimentRegistry.all.map(\.module), ["SinkhornExperiment", "KernelDensityExperiment", "LearningRateBatchExperiment", "FlashRNNExperiment"])
        let sinkhorn = try XCTUnwrap(CodeFingerprints.built.modules["SinkhornExperiment"])
        XCTAssertNotNil(sinkhorn.sources["ImageDatasets"])
        XCTAssertNotNil(sinkhorn.sources["CZlib"])
        XCTAssertNil(CodeFingerprints.built.modules["FlashRNNExperiment"]?.sources["ImageDatasets"])
        // Different modules, different closures.
        XCTAssertEqual(Set(ExperimentRegistry.all.compactMap { CodeFingerprints.built.fingerprint(of: $0)?.closure }).count, 4)
    }

    func testHelpTeachesTheCache() {
        let (status, why) = ClaimBenchCommand.execute(["why", "--help"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(why?.contains("Runs nothing.") == true, why ?? "")
        XCTAssertFalse(why?.contains("\\") == true, "no stray backslash in the help: \(why ?? "")")
        for command in ["run", "check", "golden"] {
            let (_, help) = ClaimBenchCommand.execute([command, "--help"])
            XCTAssertTrue(help?.contains("--no-cache") == true, "\(command): \(help ?? "")")
        }
    }

    func testCalibrationRunsNeverReadTheCache() {
        // `golden` calibrates through child runs; their arguments must force recomputation.
        XCTAssertTrue(PerturbedRuns.childArguments(suite: "kde", preset: .smoke, seed: 1, threads: 2, output: "/o", root: "/r").contains("--no-cache"))
    }
}
