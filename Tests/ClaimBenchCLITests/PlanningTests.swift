import Foundation
import HarnessCore
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// Plans are complete before any work: every reproduction of issue 11 ends in a one-line error
/// with its exit status, and no run directory is created.
final class PlanningTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A scratch repository with the real suite declarations (no goldens, no runs).
    private func scratchRepository(editing suite: String? = nil, _ edit: (String) -> String = { $0 }) throws -> TemporaryDirectory {
        let scratch = TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("suites").path) where name.hasSuffix(".toml") {
            let text = try String(contentsOf: Self.repository.appendingPathComponent("suites/\(name)"), encoding: .utf8)
            scratch.write(name == "\(suite ?? "").toml" ? edit(text) : text, to: "suites/\(name)")
        }
        return scratch
    }

    private func execute(_ arguments: [String]) -> (Int32, String?) { ClaimBenchCommand.execute(arguments) }

    private func runDirectories(_ scratch: TemporaryDirectory) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("results/runs").path)) ?? []
    }

    private func assertOneLineError(_ result: (Int32, String?), status: ExitStatus, contains texts: [String],
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.0, status.rawValue, result.1 ?? "", file: file, line: line)
        let message = result.1 ?? ""
        XCTAssertFalse(message.contains("\n"), "not one line: \(message)", file: file, line: line)
        for text in texts { XCTAssertTrue(message.contains(text), "\(message) lacks \(text)", file: file, line: line) }
    }

    // MARK: the issue's crashes, now refused at planning

    func testHugeThroughputTokensIsRefusedByItsBound() throws {
        let scratch = try scratchRepository(editing: "rnn") { $0.replacingOccurrences(of: "throughput_tokens = 128", with: "throughput_tokens = 4611686018427387904") }
        assertOneLineError(execute(["run", "rnn", "--preset", "smoke", "--root", scratch.url.path]), status: .runFailed,
                           contains: ["suites/rnn.toml: presets.smoke.throughput_tokens: must be at most 1048576"])
        XCTAssertEqual(runDirectories(scratch), [])
        // The same through --set is a usage error that names the option.
        let viaSet = try scratchRepository()
        assertOneLineError(execute(["run", "rnn", "--preset", "smoke", "--root", viaSet.url.path, "--set", "throughput_tokens=4611686018427387904"]),
                           status: .usage, contains: ["--set throughput_tokens=4611686018427387904: must be at most 1048576"])
    }

    func testLearningRateDataAboveTheBudgetIsRefusedWithBytesAndKeys() throws {
        let scratch = try scratchRepository(editing: "lr-batch") {
            $0.replacingOccurrences(of: "samples = 2048\ninput_dimension = 32", with: "samples = 1000000\ninput_dimension = 4096")
        }
        let result = execute(["run", "lr-batch", "--preset", "smoke", "--root", scratch.url.path, "--memory-budget", "4GiB"])
        assertOneLineError(result, status: .runFailed, contains: ["suites/lr-batch.toml: presets.smoke: needs about", "bytes) at peak",
                                                                  "above the memory budget of 4 GiB", "lower samples, input_dimension"])
        XCTAssertEqual(runDirectories(scratch), [])
    }

    func testRNNAgreementShapeAboveTheBudgetIsRefused() throws {
        let scratch = try scratchRepository(editing: "rnn") {
            $0.replacingOccurrences(of: "check_batch = 3\ncheck_steps = 32\ncheck_hidden = 64", with: "check_batch = 4096\ncheck_steps = 4096\ncheck_hidden = 4096")
        }
        assertOneLineError(execute(["run", "rnn", "--preset", "smoke", "--root", scratch.url.path]),
                           status: .runFailed, contains: ["presets.smoke: needs about 7.5 TiB", "lower check_batch, check_steps, check_hidden"])
    }

    // MARK: errors found before the work

    func testMissingGoldenStopsCheckBeforeRunning() throws {
        let scratch = try scratchRepository()
        assertOneLineError(execute(["check", "kde", "--root", scratch.url.path]), status: .goldenMissing,
                           contains: ["results/golden/kde/smoke.json: golden file missing"])
        XCTAssertEqual(runDirectories(scratch), [])
    }

    func testCorruptGoldenStopsCheckBeforeRunning() throws {
        let scratch = try scratchRepository()
        scratch.write("{ not json", to: "results/golden/kde/smoke.json")
        assertOneLineError(execute(["check", "kde", "--root", scratch.url.path]), status: .runFailed,
                           contains: ["results/golden/kde/smoke.json: golden file unreadable"])
        XCTAssertEqual(runDirectories(scratch), [])
    }

    func testUnwritableOutputIsAUsageErrorBeforeRunning() throws {
        let scratch = try scratchRepository()
        let blocker = scratch.write("a file, not a folder", to: "blocker")
        assertOneLineError(execute(["run", "kde", "--preset", "smoke", "--root", scratch.url.path, "--out", blocker.appendingPathComponent("runs").path]),
                           status: .usage, contains: ["--out: cannot write", "cannot create the directory"])
    }

    func testClaimPatternMatchingNothingIsADeclarationErrorBeforeRunning() throws {
        let scratch = try scratchRepository(editing: "kde") { $0.replacingOccurrences(of: "r=0.5/largest_share", with: "r=0.5/largest_shares") }
        assertOneLineError(execute(["run", "kde", "--preset", "smoke", "--root", scratch.url.path]), status: .runFailed,
                           contains: ["suites/kde.toml: claims (id = \"share-low-bandwidth\"): metric \"share-claims/*/r=0.5/largest_shares\" matches nothing"])
        XCTAssertEqual(runDirectories(scratch), [])
    }

    func testGoldenToleranceMatchingNothingIsADeclarationError() throws {
        let scratch = try scratchRepository(editing: "sinkhorn") { $0.replacingOccurrences(of: "metric = \"*/newton_steps\"", with: "metric = \"*/newton_stepz\"") }
        assertOneLineError(execute(["run", "sinkhorn", "--preset", "smoke", "--root", scratch.url.path]), status: .runFailed,
                           contains: ["suites/sinkhorn.toml: golden[2].metric: pattern \"*/newton_stepz\" matches no metric"])
    }

    // MARK: command line

    func testUnknownPresetIsAUsageError() throws {
        let scratch = try scratchRepository()
        assertOneLineError(execute(["run", "kde", "--preset", "smok", "--root", scratch.url.path]), status: .usage,
                           contains: ["suites/kde.toml: presets.smok: no such preset"])
    }

    func testThreadsAreBoundedByTheMachineAndNegativeNumbersSaySo() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let above = execute(["list", "--threads", "\(cores + 1)"])
        XCTAssertEqual(above.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(above.1?.contains("above this machine's \(cores) cores: use 1…\(cores)") == true, above.1 ?? "")
        let negative = execute(["run", "--threads", "-1"])
        XCTAssertEqual(negative.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(negative.1?.contains("--threads must be ≥ 1, got -1") == true, negative.1 ?? "")
        let seed = execute(["run", "--seed", "-3"])
        XCTAssertEqual(seed.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(seed.1?.contains("--seed must be ≥ 0, got -3") == true, seed.1 ?? "")
        XCTAssertEqual(execute(["run", "--memory-budget", "lots"]).0, ExitStatus.usage.rawValue)
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        let beyond = execute(["run", "--memory-budget", "\(Int(physical * 2))"])
        XCTAssertEqual(beyond.0, ExitStatus.usage.rawValue)
        XCTAssertTrue(beyond.1?.contains("of memory") == true, beyond.1 ?? "")
    }

    func testGlobalOptionsMayPrecedeTheSubcommand() throws {
        XCTAssertEqual(ClaimBenchCommand.hoistingGlobalOptions(["--root", "X", "list"]), ["list", "--root", "X"])
        XCTAssertEqual(ClaimBenchCommand.hoistingGlobalOptions(["--threads=2", "--root", "X", "run", "kde"]), ["run", "--threads=2", "--root", "X", "kde"])
        XCTAssertEqual(ClaimBenchCommand.hoistingGlobalOptions(["run", "--root", "X"]), ["run", "--root", "X"])
        XCTAssertEqual(ClaimBenchCommand.hoistingGlobalOptions(["--help"]), ["--help"])
        let scratch = try scratchRepository()
        XCTAssertEqual(execute(["--root", scratch.url.path, "list"]).0, ExitStatus.success.rawValue)
    }

    func testSetRejectsKeysNoSelectedSuiteReads() throws {
        let scratch = try scratchRepository()
        assertOneLineError(execute(["run", "sinkhorn", "--preset", "smoke", "--root", scratch.url.path, "--set", "hill_terms=5"]),
                           status: .usage, contains: ["--set hill_terms=5: no selected suite (sinkhorn) has a preset key `hill_terms`"])
        assertOneLineError(execute(["run", "--preset", "smoke", "--root", scratch.url.path, "--set", "kde.nope=5"]),
                           status: .usage, contains: ["--set kde.nope=5: kde has no preset key `nope`"])
        assertOneLineError(execute(["run", "kde", "--preset", "smoke", "--root", scratch.url.path, "--set", "replicates=2"]),
                           status: .usage, contains: ["--set replicates=2: need at least 4 replicates", "[suites/kde.toml: presets.smoke.replicates]"])
        assertOneLineError(execute(["run", "kde", "--preset", "smoke", "--root", scratch.url.path, "--set", "replicates"]),
                           status: .usage, contains: ["expected key=value"])
        XCTAssertEqual(runDirectories(scratch), [])
    }

    func testOverridesAreParsedAsTOMLValues() throws {
        let suites: [SuiteID] = ["kde", "rnn"]
        XCTAssertEqual(try PresetOverride.parse("replicates=8", suites: suites).value, .integer(8))
        XCTAssertEqual(try PresetOverride.parse("kde.alphas=[0.3, 0.45]", suites: suites),
                       PresetOverride(suite: "kde", key: "alphas", value: .array([.float(0.3), .float(0.45)]), text: "[0.3, 0.45]"))
        XCTAssertEqual(try PresetOverride.parse("throughput_cell=gru", suites: suites).value, .string("gru"))
        XCTAssertEqual(try PresetOverride.parse("throughput_cell=\"gru\"", suites: suites).value, .string("gru"))
        XCTAssertThrowsError(try PresetOverride.parse("=3", suites: suites))
    }
}
