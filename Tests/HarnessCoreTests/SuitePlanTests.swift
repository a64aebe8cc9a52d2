import Foundation
import HarnessCore
import TestSupport
import XCTest

/// Planning: overrides, budget, and the output description, on the test experiment.
final class SuitePlanTests: XCTestCase {
    private let experiment = RegisteredExperiment(UniformMeanExperiment.self)

    private func declaration(_ text: String = uniformMeanDeclaration()) throws -> SuiteDeclaration {
        try SuiteDeclaration(table: ParameterTable(file: "suites/uniform.toml", entries: try SuiteRegistry.parse(text, file: "suites/uniform.toml")))
    }

    func testOverridesPatchThePresetBeforeDecodingAndAreRecorded() throws {
        let overrides = [try PresetOverride.parse("n=50", suites: ["uniform"]), try PresetOverride.parse("replicates=5", suites: ["uniform"])]
        let plan = try SuitePlanner.plan(try declaration(), preset: .smoke, experiment: experiment, overrides: overrides, memoryBudget: 1e9)
        XCTAssertEqual(plan.overrides, ["n": "50"], "replicates is no key of this experiment: skipped here, not applied")
        XCTAssertEqual(plan.prepared.parameters, .object(["n": .number(50), "offset": .number(0)]))
        // An optional key the preset does not write is still the experiment's.
        let offset = try SuitePlanner.plan(try declaration(), preset: .smoke, experiment: experiment,
                                           overrides: [try PresetOverride.parse("offset=0.5", suites: [])], memoryBudget: 1e9)
        XCTAssertEqual(offset.overrides, ["offset": "0.5"])
    }

    func testABadOverrideIsAUsageErrorNamingTheOption() throws {
        let bad = try PresetOverride.parse("n=0", suites: [])
        XCTAssertThrowsError(try SuitePlanner.plan(try declaration(), preset: .smoke, experiment: experiment, overrides: [bad], memoryBudget: 1e9)) { error in
            XCTAssertEqual((error as? PlanRefusal)?.status, .usage)
            XCTAssertEqual("\(error)", "--set n=0: must be at least 1, got 0 [suites/uniform.toml: presets.smoke.n]")
        }
        let typed = try PresetOverride.parse("n=\"many\"", suites: [])
        XCTAssertThrowsError(try SuitePlanner.plan(try declaration(), preset: .smoke, experiment: experiment, overrides: [typed], memoryBudget: 1e9)) { error in
            XCTAssertTrue("\(error)".hasPrefix("--set n=\"many\": expected an integer, found a string"), "\(error)")
        }
    }

    func testAPlanAboveTheBudgetIsRefusedWithBytesAndKeys() throws {
        // 64 bytes per value: 2000 values need 128000 bytes.
        XCTAssertThrowsError(try SuitePlanner.plan(try declaration(), preset: .default, experiment: experiment, memoryBudget: 100_000)) { error in
            XCTAssertEqual("\(error)", "suites/uniform.toml: presets.default: needs about 125 KiB (1.28e+05 bytes) at peak, above the memory"
                + " budget of 97.7 KiB (lower n, or raise --memory-budget if this machine has the memory)")
        }
        XCTAssertNoThrow(try SuitePlanner.plan(try declaration(), preset: .smoke, experiment: experiment, memoryBudget: 100_000))
    }

    func testDifferencesNameWhatAPlanGotWrong() throws {
        let parameters = try UniformMeanExperiment.decodeParameters(ParameterTable(file: "f", entries: ["n": .integer(3)]))
        var planned = UniformMeanExperiment.plannedOutput(parameters)
        let output = try UniformMeanExperiment.run(parameters, context: RunContext(seed: 1))
        XCTAssertEqual(planned.differences(from: output), [])
        planned.add("median", .numeric)
        planned.add("seconds", .numeric, unit: "s")
        planned.tables = []
        XCTAssertEqual(planned.differences(from: output), [
            "planned but not reported: median", "seconds: planned numeric [s], reported timing [s]", "tables planned [], written [\"values.csv\"]",
        ])
    }

    func testByteCountsReadAndPrintAsPeopleWriteThem() {
        XCTAssertEqual(ByteCount.parse("8GiB"), 8 * 1_073_741_824)
        XCTAssertEqual(ByteCount.parse("512 MB"), 512e6)
        XCTAssertEqual(ByteCount.parse("1e9"), 1e9)
        XCTAssertEqual(ByteCount.parse("2g"), 2 * 1_073_741_824)
        for bad in ["", "lots", "-1GiB", "0", "nan", "5 parsecs"] { XCTAssertNil(ByteCount.parse(bad), bad) }
        XCTAssertEqual(ByteCount.describe(1536), "1.5 KiB")
        XCTAssertEqual(ByteCount.describe(900), "900 B")
        XCTAssertEqual(ByteCount.describe(.infinity), "more than 1 EiB")
    }
}
