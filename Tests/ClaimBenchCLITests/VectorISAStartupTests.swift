import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import ClaimBenchCLI

/// `CLAIMBENCH_ISA` end to end: the startup forces the C vector kernels' path, the fingerprint and
/// `platform` show it, and a path this CPU cannot run (or an unknown name) exits 64 naming the
/// supported paths. Runs the `claimbench` built next to the test bundle.
final class VectorISAStartupTests: XCTestCase {
    private func claimbench(_ arguments: [String], isa: String?) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("claimbench")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("no claimbench executable beside the test bundle (\(executable.path)); run `swift build` first")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment[VectorISA.environmentVariable] = isa
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out, err)
    }

    func testBaselineIsForcedAndRecorded() throws {
        let forced = try claimbench(["platform", "--json"], isa: "baseline")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let fingerprint = try CanonicalJSON.decode(PlatformFingerprint.self, from: Data(forced.stdout.utf8))
        XCTAssertEqual(fingerprint.kernelPaths["VectorExp"], "baseline (C, CLAIMBENCH_ISA=baseline; CPU runs \(VectorISA.detected.rawValue))")
        let text = try claimbench(["platform"], isa: "baseline")
        XCTAssertTrue(text.stdout.contains("forced by CLAIMBENCH_ISA=baseline"), text.stdout)
        let detected = try claimbench(["platform", "--json"], isa: nil)
        let native = try CanonicalJSON.decode(PlatformFingerprint.self, from: Data(detected.stdout.utf8))
        XCTAssertEqual(native.kernelPaths["Sinkhorn scaling sweep"], "\(VectorISA.detected.rawValue) (C, runtime dispatch, detected)")
    }

    func testUnknownOrUnrunnablePathsExit64() throws {
        let unknown = try claimbench(["platform"], isa: "sse9")
        XCTAssertEqual(unknown.status, ExitStatus.usage.rawValue)
        XCTAssertTrue(unknown.stderr.contains("CLAIMBENCH_ISA=sse9 is not a vector ISA path"), unknown.stderr)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").count, 1, unknown.stderr)
        guard let missing = VectorISA.allCases.first(where: { !VectorISA.runnable.contains($0) }) else {
            throw XCTSkip("this CPU runs every path")
        }
        let refused = try claimbench(["platform"], isa: missing.rawValue)
        XCTAssertEqual(refused.status, ExitStatus.usage.rawValue)
        XCTAssertTrue(refused.stderr.contains("supported here: \(VectorISA.runnable.map(\.rawValue).joined(separator: ", "))"), refused.stderr)
    }

    /// The calibration run that plays an old machine (Prescott) also forces the baseline path;
    /// the others inherit the caller's.
    func testPrescottCalibrationRunForcesTheBaselinePath() {
        XCTAssertEqual(PerturbedRuns.vectorISA(for: .init(blasCore: "Prescott", threads: 1)), .baseline)
        XCTAssertNil(PerturbedRuns.vectorISA(for: .init(blasCore: "Haswell", threads: 1)))
        XCTAssertNil(PerturbedRuns.vectorISA(for: .init(blasCore: "Zen", threads: 2)))
    }
}
