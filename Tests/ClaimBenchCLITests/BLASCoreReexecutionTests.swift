import Foundation
import HarnessCore
import LinearAlgebra
import XCTest

/// The executable's startup end to end: `--blas-core` and `OPENBLAS_CORETYPE` take effect
/// through the re-execution (OpenBLAS reads its core only at load time), and cores the CPU
/// cannot run are refused with exit 64. Runs the `claimbench` built next to the test bundle.
final class BLASCoreReexecutionTests: XCTestCase {
    private struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    private func claimbench(_ arguments: [String], coretype: String? = nil) throws -> Outcome {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("claimbench")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("no claimbench executable beside the test bundle (\(executable.path)); run `swift build` first")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = coretype
        environment[BLASCoreSelection.markerVariable] = nil
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: data, stderr: errorText)
    }

    private func fingerprint(_ outcome: Outcome) throws -> PlatformFingerprint {
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try CanonicalJSON.decode(PlatformFingerprint.self, from: outcome.stdout)
    }

    func testBlasCoreOptionSwitchesTheCoreBeforeOrAfterTheCommand() throws {
        let cpu = PlatformFingerprint.CPU.current()
        let native = try fingerprint(claimbench(["platform", "--json"]))
        XCTAssertTrue([.native, .selectedByClaimBench].contains(native.blas?.coreChoice), "\(String(describing: native.blas))")
        guard let alternate = BLASCore.alternate(for: cpu, inUse: native.blas?.core ?? "") else {
            throw XCTSkip("this CPU runs no second OpenBLAS core")
        }
        for arguments in [["--blas-core", alternate.rawValue, "platform", "--json"], ["platform", "--json", "--blas-core=\(alternate.rawValue)"]] {
            let switched = try fingerprint(claimbench(arguments))
            XCTAssertEqual(switched.blas?.core, alternate.rawValue, "\(arguments)")
            XCTAssertEqual(switched.blas?.coreChoice, .option)
            XCTAssertEqual(switched.blas?.requestedCore, alternate.rawValue)
        }
        let fromEnvironment = try fingerprint(claimbench(["platform", "--json"], coretype: alternate.rawValue))
        XCTAssertEqual(fromEnvironment.blas?.core, alternate.rawValue)
        XCTAssertEqual(fromEnvironment.blas?.coreChoice, .environment)
        // --blas-core beats OPENBLAS_CORETYPE.
        let both = try fingerprint(claimbench(["--blas-core", native.blas!.core, "platform", "--json"], coretype: alternate.rawValue))
        XCTAssertEqual(both.blas?.core, native.blas?.core)
    }

    func testCoresTheCPUCannotRunAreRefusedBeforeOpenBLASRunsThem() throws {
        let cpu = PlatformFingerprint.CPU.current()
        let unrunnable = BLASCore.allCases.first { !BLASCore.supported(by: cpu).contains($0) }!
        let refused = try claimbench(["--blas-core", unrunnable.rawValue, "list"])
        XCTAssertEqual(refused.status, ExitStatus.usage.rawValue)
        XCTAssertTrue(refused.stderr.hasPrefix("error: --blas-core \(unrunnable.rawValue) needs "), refused.stderr)
        let unknown = try claimbench(["list", "--blas-core", "Bogus"])
        XCTAssertEqual(unknown.status, ExitStatus.usage.rawValue)
        XCTAssertTrue(unknown.stderr.contains("unknown core"), unknown.stderr)
        // An x86 core OpenBLAS would load and then die on with SIGILL.
        if let x86 = BLASCore.allCases.first(where: { !BLASCore.supported(by: cpu).contains($0) && $0.requiredFeatures.contains("avx512f") }) {
            let forced = try claimbench(["list"], coretype: x86.rawValue)
            XCTAssertEqual(forced.status, ExitStatus.usage.rawValue, forced.stderr)
        }
    }
}
