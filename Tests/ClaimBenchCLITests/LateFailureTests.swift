import Foundation
@testable import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// A run's data is stored before anything that can still fail; `check` prints exact values in full.
final class LateFailureTests: XCTestCase {
    /// The uniform-mean experiment with a wrong description: it plans `mean` as a timing.
    enum MisdescribedExperiment: Experiment {
        static let id: ExperimentID = "test.uniform-mean"
        static func decodeParameters(_ table: ParameterTable) throws -> UniformMeanExperiment.Parameters {
            try UniformMeanExperiment.decodeParameters(table)
        }
        static func plannedOutput(_ parameters: UniformMeanExperiment.Parameters) -> PlannedOutput {
            var planned = UniformMeanExperiment.plannedOutput(parameters)
            planned.add("mean", .timing, unit: "s")
            return planned
        }
        static func peakMemory(_ parameters: UniformMeanExperiment.Parameters) -> MemoryEstimate {
            UniformMeanExperiment.peakMemory(parameters)
        }
        static func run(_ parameters: UniformMeanExperiment.Parameters, context: RunContext) throws -> ExperimentOutput {
            try UniformMeanExperiment.run(parameters, context: context)
        }
    }

    func testAFailureAfterTheRunKeepsTheRecordAndTables() throws {
        let scratch = TemporaryDirectory()
        scratch.write(uniformMeanDeclaration().replacingOccurrences(of: "[[golden]]\nmetric = \"mean\"\nrel = 1e-12\n", with: ""),
                      to: "suites/uniform.toml")
        let workspace = try Workspace(root: scratch.url.path, experiments: [RegisteredExperiment(MisdescribedExperiment.self)])
        let execution = SuiteExecution(workspace: workspace, threads: 1)
        let planned = try execution.plan(workspace.declarations, preset: .smoke)
        XCTAssertThrowsError(try execution.run(planned[0])) { error in
            XCTAssertTrue("\(error)".contains("uniform: the run's output differs from its plan (mean: planned timing [s], reported numeric [1])"), "\(error)")
            XCTAssertTrue("\(error)".contains("the run's data is stored in results/runs/"), "\(error)")
        }
        let directory = try XCTUnwrap(workspace.store.runDirectories().first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("values.csv").path))
        let record = try workspace.store.loadRecord(in: directory)
        XCTAssertEqual(record.metrics["count"]?.value, 200)
        XCTAssertNotNil(record.notes[SuiteExecution.pendingNote], "the record says its claims were never judged")
        XCTAssertNotNil(record.notes["plan_drift"])
    }

    func testExactValuesAndHiddenDifferencesPrintInFull() {
        let exact = GoldenComparison.Row(metric: "checksum", golden: 1234567890123457, now: 1234567890123458, deviation: 1,
                                         tolerance: "exact", status: .deviated)
        XCTAssertEqual(CheckCommand.exactPair(exact).0, "1234567890123457")
        XCTAssertEqual(CheckCommand.exactPair(exact).1, "1234567890123458")
        let hidden = GoldenComparison.Row(metric: "cost", golden: 0.1234567, now: 0.1234568, deviation: 1e-7, tolerance: "rel 1e-09",
                                          status: .deviated)
        XCTAssertEqual(CheckCommand.exactPair(hidden).0, "0.1234567")
        let shown = GoldenComparison.Row(metric: "cost", golden: 0.25, now: 0.5, deviation: 0.25, tolerance: "rel 1e-09", status: .deviated)
        XCTAssertEqual(CheckCommand.exactPair(shown).1, "0.5")
    }
}
