import HarnessCore
import LinearAlgebra
import XCTest

/// Which OpenBLAS cores a CPU can run, which one ClaimBench picks, and the startup decision.
final class BLASCoreTests: XCTestCase {
    static let sse3Only = ["sse3"]
    static let avx2 = ["sse3", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma"]
    static let avx512 = avx2 + ["avx512f", "avx512dq", "avx512bw", "avx512vl"]
    static let avx512bf16 = avx512 + ["avx512_bf16"]

    static func cpu(_ features: [String], vendor: String = "GenuineIntel", architecture: String = "x86_64") -> PlatformFingerprint.CPU {
        PlatformFingerprint.CPU(
            architecture: architecture, vendor: vendor, modelName: "test", family: 6, model: 207, logicalCores: 2,
            physicalCores: 2, features: features)
    }

    func testSupportedCoresFollowTheFeatures() {
        XCTAssertEqual(BLASCore.supported(by: Self.cpu(Self.sse3Only)), [.prescott])
        XCTAssertEqual(
            BLASCore.supported(by: Self.cpu(Self.avx2)), [.prescott, .core2, .nehalem, .sandybridge, .haswell, .zen])
        XCTAssertEqual(
            BLASCore.supported(by: Self.cpu(Self.avx512)), [.prescott, .core2, .nehalem, .sandybridge, .haswell, .zen, .skylakeX])
        XCTAssertEqual(BLASCore.supported(by: Self.cpu(Self.avx512bf16)).last, .cooperlake)
        XCTAssertEqual(BLASCore.supported(by: Self.cpu(["asimd"], vendor: "0x41", architecture: "arm64")), [.armv8])
        XCTAssertEqual(BLASCore.supported(by: Self.cpu([])), [])
    }

    func testBestCoreIsTheHighestRankAndTheVendorsBetweenHaswellAndZen() {
        XCTAssertEqual(BLASCore.best(for: Self.cpu(Self.avx512bf16)), .cooperlake)
        XCTAssertEqual(BLASCore.best(for: Self.cpu(Self.avx512)), .skylakeX)
        XCTAssertEqual(BLASCore.best(for: Self.cpu(Self.avx2)), .haswell)
        XCTAssertEqual(BLASCore.best(for: Self.cpu(Self.avx2, vendor: "AuthenticAMD")), .zen)
        XCTAssertEqual(BLASCore.best(for: Self.cpu(Self.sse3Only)), .prescott)
        XCTAssertEqual(BLASCore.best(for: Self.cpu(["asimd", "asimddp", "sve"], vendor: "0x41", architecture: "arm64")), .neoverseV1)
        XCTAssertNil(BLASCore.best(for: Self.cpu([])))
    }

    func testNamesMatchIgnoringCaseAndOlderCoresHaveRanks() {
        XCTAssertEqual(BLASCore(name: "skylakex"), .skylakeX)
        XCTAssertEqual(BLASCore(name: "neoversen1"), .neoverseN1)
        XCTAssertNil(BLASCore(name: "Bogus"))
        XCTAssertEqual(BLASCore.rank(ofLoadedCore: "Barcelona"), 1)
        XCTAssertEqual(BLASCore.rank(ofLoadedCore: "Zen"), BLASCore.haswell.rank)
        XCTAssertNil(BLASCore.rank(ofLoadedCore: "SomethingNew"))
    }

    func testAlternateCorePrefersHaswellThenSandybridge() {
        XCTAssertEqual(BLASCore.alternate(for: Self.cpu(Self.avx2), inUse: "Zen"), .haswell)
        XCTAssertEqual(BLASCore.alternate(for: Self.cpu(Self.avx2), inUse: "Haswell"), .sandybridge)
        XCTAssertEqual(BLASCore.alternate(for: Self.cpu(Self.avx512bf16), inUse: "Cooperlake"), .haswell)
        XCTAssertNil(BLASCore.alternate(for: Self.cpu(Self.sse3Only), inUse: "Prescott"))
    }

    func testRefusalNamesTheMissingFeaturesAndTheSupportedCores() {
        XCTAssertEqual(
            BLASCore.skylakeX.refusal(on: Self.cpu(Self.avx2)),
            "SkylakeX needs AVX-512F, AVX-512DQ, AVX-512BW and AVX-512VL, which this CPU lacks; supported here: "
                + "Prescott, Core2, Nehalem, Sandybridge, Haswell, Zen")
        XCTAssertEqual(
            BLASCore.cooperlake.refusal(on: Self.cpu(Self.avx512)),
            "Cooperlake needs AVX-512 BF16, which this CPU lacks; supported here: "
                + "Prescott, Core2, Nehalem, Sandybridge, Haswell, Zen, SkylakeX")
        XCTAssertNil(BLASCore.haswell.refusal(on: Self.cpu(Self.avx2)))
    }

    // MARK: - Startup decision

    private func decide(
        _ features: [String], vendor: String = "GenuineIntel", loaded: String, dynamic: Bool = true, option: String? = nil,
        environment: String? = nil, marker: String? = nil
    ) -> BLASCoreSelection.Decision {
        BLASCoreSelection.decide(.init(
            cpu: Self.cpu(features, vendor: vendor), loadedCore: loaded, dynamicArch: dynamic, option: option,
            environmentCore: environment, marker: marker))
    }

    func testAGenericFallbackIsReplacedByTheBestCore() {
        // The case: OpenBLAS 0.3.21 runs Prescott on an AVX-512 Xeon it does not know.
        XCTAssertEqual(decide(Self.avx512bf16, loaded: "Prescott"), .reexecute(.cooperlake, .selectedByClaimBench))
        XCTAssertEqual(decide(Self.avx512, loaded: "Haswell"), .reexecute(.skylakeX, .selectedByClaimBench))
        XCTAssertEqual(decide(Self.avx2, vendor: "AuthenticAMD", loaded: "Barcelona"), .reexecute(.zen, .selectedByClaimBench))
        // OpenBLAS's own choice stands when it ranks as high as the best core, …
        XCTAssertEqual(decide(Self.avx2, vendor: "AuthenticAMD", loaded: "Zen"), .proceed(.init(choice: .native, requested: nil)))
        XCTAssertEqual(decide(Self.avx2, loaded: "Zen"), .proceed(.init(choice: .native, requested: nil)))
        // … when the library cannot switch, and when ClaimBench does not know the loaded name.
        XCTAssertEqual(decide(Self.avx512, loaded: "Prescott", dynamic: false), .proceed(.init(choice: .native, requested: nil)))
        XCTAssertEqual(decide(Self.avx512, loaded: "SomethingNew"), .proceed(.init(choice: .native, requested: nil)))
    }

    func testTheUsersChoiceWins() {
        XCTAssertEqual(
            decide(Self.avx512bf16, loaded: "Prescott", environment: "prescott"),
            .proceed(.init(choice: .environment, requested: "prescott")))
        XCTAssertEqual(decide(Self.avx2, loaded: "Zen", option: "Haswell"), .reexecute(.haswell, .option))
        XCTAssertEqual(decide(Self.avx2, loaded: "Zen", option: "haswell", environment: "Zen"), .reexecute(.haswell, .option))
        XCTAssertEqual(decide(Self.avx2, loaded: "Zen", option: "zen"), .proceed(.init(choice: .option, requested: "Zen")))
        // After the re-execution the marker says who chose; it never triggers a second one.
        XCTAssertEqual(
            decide(Self.avx2, loaded: "Haswell", option: "Haswell", environment: "Haswell", marker: "--blas-core:Haswell"),
            .proceed(.init(choice: .option, requested: "Haswell")))
        XCTAssertEqual(
            decide(Self.avx512bf16, loaded: "Cooperlake", environment: "Cooperlake", marker: "selected-by-claimbench:Cooperlake"),
            .proceed(.init(choice: .selectedByClaimBench, requested: "Cooperlake")))
        XCTAssertEqual(
            decide(Self.avx512bf16, loaded: "SkylakeX", environment: "Cooperlake", marker: "selected-by-claimbench:Cooperlake"),
            .proceed(.init(choice: .selectedByClaimBench, requested: "Cooperlake")))
        guard case .fail(let message) = decide(Self.avx2, loaded: "Zen", option: "Haswell", marker: "--blas-core:Haswell") else {
            return XCTFail("a core that did not switch after re-execution must fail")
        }
        XCTAssertTrue(message.contains("still runs core Zen"), message)
        guard case .fail = decide(Self.avx2, loaded: "Zen", dynamic: false, option: "Haswell") else {
            return XCTFail("a non-DYNAMIC_ARCH library cannot switch")
        }
    }

    func testCoresTheCPUCannotRunAndUnknownNamesAreRefused() {
        guard case .refuse(let unsupported) = decide(Self.avx2, loaded: "Zen", option: "SkylakeX") else {
            return XCTFail("SkylakeX on an AVX2 CPU must be refused")
        }
        XCTAssertTrue(unsupported.hasPrefix("--blas-core SkylakeX needs AVX-512F"), unsupported)
        guard case .refuse(let unknown) = decide(Self.avx2, loaded: "Zen", option: "Bogus") else {
            return XCTFail("an unknown name must be refused")
        }
        XCTAssertTrue(unknown.hasPrefix("--blas-core Bogus: unknown core; choose one of Prescott,"), unknown)
        // OPENBLAS_CORETYPE=SkylakeX on an AVX2 CPU: OpenBLAS 0.3.21 loads it and dies of SIGILL in the first GEMM.
        guard case .refuse(let forced) = decide(Self.avx2, loaded: "SkylakeX", environment: "SkylakeX") else {
            return XCTFail("an environment core the CPU cannot run must be refused")
        }
        XCTAssertTrue(forced.hasPrefix("OPENBLAS_CORETYPE=SkylakeX: core SkylakeX needs AVX-512F"), forced)
    }

    // MARK: - This process

    func testTheCoreInUseComputesTheKnownAnswerProduct() {
        XCTAssertNil(KnownAnswerGEMM.verify())
        XCTAssertFalse(BLASRuntime.activeCoreName.isEmpty)
        XCTAssertEqual(BLASRuntime.fingerprint().core, BLASRuntime.activeCoreName)
        XCTAssertEqual(BLASRuntime.fingerprint().library, "OpenBLAS")
    }

    func testThisCPUSupportsTheCoreOpenBLASRunsUnlessItsNameIsUnknown() {
        let cpu = PlatformFingerprint.CPU.current()
        if let core = BLASRuntime.activeCore {
            XCTAssertTrue(BLASCore.supported(by: cpu).contains(core), "\(core) runs on \(cpu.features)")
        }
    }
}
