import Foundation
import HarnessCore
import LinearAlgebra
import TestSupport
import XCTest

@testable import ClaimBenchCLI

/// `--blas-core`, `claimbench platform`, and the platform lines of `check` and `perf`.
final class PlatformCommandTests: XCTestCase {
    func testBlasCoreIsTakenOutOfTheArgumentsWhereverItStands() throws {
        let (before, rest) = try BLASStartup.extractCoreOption(["claimbench", "--blas-core", "Haswell", "platform"])
        XCTAssertEqual(before, "Haswell")
        XCTAssertEqual(rest, ["claimbench", "platform"])
        let (after, rest2) = try BLASStartup.extractCoreOption(["claimbench", "check", "--blas-core=zen", "--threads", "2"])
        XCTAssertEqual(after, "zen")
        XCTAssertEqual(rest2, ["claimbench", "check", "--threads", "2"])
        let (none, rest3) = try BLASStartup.extractCoreOption(["claimbench", "run", "--", "--blas-core", "x"])
        XCTAssertNil(none)
        XCTAssertEqual(rest3, ["claimbench", "run", "--", "--blas-core", "x"])
        XCTAssertThrowsError(try BLASStartup.extractCoreOption(["claimbench", "platform", "--blas-core"]))
    }

    func testUnknownOrUnrunnableCoresAreUsageErrors() {
        let (unknown, message) = ClaimBenchCommand.execute(["platform", "--blas-core", "Bogus"])
        XCTAssertEqual(unknown, ExitStatus.usage.rawValue)
        XCTAssertTrue(message?.contains("--blas-core Bogus: unknown core") == true, message ?? "")
        // A core this CPU cannot run: among the x86 and arm64 cores there is always one.
        let cpu = PlatformFingerprint.CPU.current()
        let unrunnable = BLASCore.allCases.first { !BLASCore.supported(by: cpu).contains($0) }!
        let (status, refusal) = ClaimBenchCommand.execute(["platform", "--blas-core", unrunnable.rawValue])
        XCTAssertEqual(status, ExitStatus.usage.rawValue)
        XCTAssertTrue(refusal?.contains("which this CPU lacks; supported here:") == true, refusal ?? "")
        // The core already running is accepted.
        XCTAssertEqual(ClaimBenchCommand.execute(["platform", "--blas-core", BLASRuntime.activeCoreName]).0, 0)
    }

    func testPlatformAndAlternateCoreSucceed() {
        XCTAssertEqual(ClaimBenchCommand.execute(["platform"]).0, 0)
        let cpu = PlatformFingerprint.CPU.current()
        let expected: Int32 = BLASCore.alternate(for: cpu, inUse: BLASRuntime.activeCoreName) == nil ? 1 : 0
        XCTAssertEqual(ClaimBenchCommand.execute(["platform", "--alternate-core"]).0, expected)
    }

    func testRenderedFingerprintNamesCoreAndChoice() {
        var fingerprint = PlatformFingerprint.current(threads: 1)
        fingerprint.blas?.core = "Prescott"
        fingerprint.blas?.coreChoice = .environment
        fingerprint.blas?.requestedCore = "Prescott"
        let text = PlatformCommand.render(fingerprint, threads: 1)
        XCTAssertTrue(text.contains("Prescott, chosen by OPENBLAS_CORETYPE=Prescott"), text)
        XCTAssertTrue(text.contains("kernel VectorExp"), text)
        XCTAssertTrue(text.contains("supported cores"), text)
    }

    private func provenance(_ fingerprint: PlatformFingerprint?) -> Provenance {
        Provenance(
            gitCommit: "abc", gitDirty: false, swiftVersion: "Swift 6.3", operatingSystem: "Linux", cpuModel: "cpu", cores: 2,
            blasConfiguration: "OpenBLAS", blasThreads: 1, buildConfiguration: "release", startTime: "2026-12-01T00:00:00Z",
            wallSeconds: 1, fingerprint: fingerprint)
    }

    func testCheckSaysHowThePlatformDiffersFromTheGoldens() {
        let now = PlatformFingerprint.current(threads: 1)
        var golden = now
        // A DYNAMIC_ARCH build names its running core in the configuration string too.
        golden.blas?.core = "Cooperlake"
        golden.blas?.configuration = now.blas!.configuration.replacingOccurrences(of: now.blas!.core, with: "Cooperlake")
        golden.blas?.threads = now.blas!.threads + 1
        let lines = CheckCommand.platformComparison(run: provenance(now), golden: provenance(golden))
        XCTAssertEqual(lines.first, "platform differs from the golden's (golden → this run):")
        XCTAssertTrue(lines.contains("  OpenBLAS core: Cooperlake → \(now.blas!.core)"), "\(lines)")
        XCTAssertTrue(lines.contains("  BLAS threads: \(now.blas!.threads + 1) → \(now.blas!.threads)"), "\(lines)")
        XCTAssertEqual(lines.count, 3, "the build string differs only by the core's name: \(lines)")
        XCTAssertEqual(CheckCommand.platformComparison(run: provenance(now), golden: provenance(now)), ["same compute platform as the golden"])
        XCTAssertTrue(CheckCommand.platformComparison(run: provenance(now), golden: provenance(nil))[0].contains("no platform fingerprint"))
    }

    func testPerfWarnsOnlyFarBelowTheNominalPeak() {
        let nominal = NominalPeak(
            units: .init(microarchitecture: "Sapphire/Emerald/Granite Rapids", unitsPerCore: 2, vectorBits: 512), cores: 1,
            clockHz: 2e9, clockSource: "cpufreq max")  // 64 GFLOP/s
        let warning = PerfCommand.misdetectionWarning(gemmRate: 10e9, nominal: nominal)
        XCTAssertTrue(warning?.hasPrefix("dgemm reaches only 16% of the nominal FMA peak with OpenBLAS core") == true, warning ?? "")
        let runsBest = BLASCore.best(for: .current())?.rawValue.lowercased() == BLASRuntime.activeCoreName.lowercased()
        XCTAssertTrue(warning?.contains(runsBest ? "the machine may be busy" : "the core may be misdetected") == true, warning ?? "")
        XCTAssertNil(PerfCommand.misdetectionWarning(gemmRate: 50e9, nominal: nominal))
        XCTAssertNil(PerfCommand.misdetectionWarning(gemmRate: 1e9, nominal: nil), "no warning without a nominal peak")
        XCTAssertTrue(PerfCommand.kernelReport(gemmRate: 32e9, nominal: nominal)[1].hasSuffix("dgemm reaches 50%"))
    }
}
