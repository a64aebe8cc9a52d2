import Foundation
import HarnessCore
import XCTest

/// The platform fingerprint: /proc/cpuinfo parsing, the difference lines `check` prints, and
/// its JSON form in run records and goldens.
final class PlatformFingerprintTests: XCTestCase {
    /// Two processors of one Intel Xeon with AVX-512 (the family 6 model 207), trimmed.
    static let xeonCPUInfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 207
        model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz
        cpu MHz\t\t: 2100.000
        physical id\t: 0
        core id\t\t: 0
        flags\t\t: fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16 amx_tile

        processor\t: 1
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 207
        physical id\t: 0
        core id\t\t: 0
        flags\t\t: fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16 amx_tile
        """

    static let armCPUInfo = """
        processor\t: 0
        BogoMIPS\t: 243.75
        Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
        CPU implementer\t: 0x41
        CPU part\t: 0xd0c
        """

    func testParsesTheFirstProcessorAndCountsPhysicalCores() {
        let cpu = PlatformFingerprint.CPU.parse(cpuinfo: Self.xeonCPUInfo, architecture: "x86_64", logicalCores: 2)
        XCTAssertEqual(cpu.vendor, "GenuineIntel")
        XCTAssertEqual(cpu.family, 6)
        XCTAssertEqual(cpu.model, 207)
        XCTAssertEqual(cpu.modelName, "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz")
        XCTAssertEqual(cpu.physicalCores, 1, "two hyperthreads of one core")
        // pni is recorded as sse3; flags outside the relevant list (amx_tile, sse2) are left out.
        XCTAssertEqual(cpu.features, [
            "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16",
        ])

        let arm = PlatformFingerprint.CPU.parse(cpuinfo: Self.armCPUInfo, architecture: "arm64", logicalCores: 4)
        XCTAssertEqual(arm.vendor, "0x41")
        XCTAssertEqual(arm.model, 0xd0c)
        XCTAssertNil(arm.family)
        XCTAssertNil(arm.physicalCores)
        XCTAssertEqual(arm.features, ["asimd", "asimddp"])
    }

    static func fingerprint(
        features: [String] = ["sse3", "avx", "avx2", "fma", "avx512f"], core: String = "Cooperlake", threads: Int = 1,
        choice: PlatformFingerprint.BLAS.CoreChoice = .native, model: String = "AMD EPYC", swift: String = "Swift 6.3"
    ) -> PlatformFingerprint {
        PlatformFingerprint(
            cpu: .init(
                architecture: "x86_64", vendor: "AuthenticAMD", modelName: model, family: 25, model: 1, logicalCores: 2,
                physicalCores: 2, features: features),
            blas: .init(
                library: "OpenBLAS", version: "0.3.21", configuration: "OpenBLAS 0.3.21 DYNAMIC_ARCH \(core) MAX_THREADS=64",
                core: core, coreChoice: choice, requestedCore: nil, threads: threads),
            kernelPaths: ["VectorExp": "swift-simd (baseline x86-64: SSE2)"],
            toolchain: .init(swiftCompiler: swift, cLibrary: "glibc 2.36"), workerThreads: threads)
    }

    func testDifferencesNameEachChangeComputeRelevantFirst() {
        let golden = Self.fingerprint()
        let run = Self.fingerprint(
            features: ["sse3", "avx", "avx2", "fma", "sve"], core: "Zen", threads: 2, choice: .environment, model: "Other CPU",
            swift: "Swift 6.4")
        XCTAssertEqual(run.differences(from: golden), [
            "ISA features: lost avx512f; gained sve",
            "OpenBLAS core: Cooperlake → Zen",
            "BLAS threads: 1 → 2",
            "worker threads: 1 → 2",
            "CPU: AMD EPYC (AuthenticAMD family 25 model 1) → Other CPU (AuthenticAMD family 25 model 1)",
            "BLAS core chosen by: native → OPENBLAS_CORETYPE",
            "Swift: Swift 6.3 → Swift 6.4",
        ])
        XCTAssertNotEqual(run.computeRelevant, golden.computeRelevant)
        XCTAssertEqual(golden.differences(from: golden), [])
    }

    func testDescriptiveDifferencesLeaveTheComputePlatformEqual() {
        let golden = Self.fingerprint()
        var run = Self.fingerprint(model: "Other CPU", swift: "Swift 6.4")
        run.blas?.configuration = "OpenBLAS 0.3.21 DYNAMIC_ARCH Cooperlake MAX_THREADS=128"
        XCTAssertEqual(run.computeRelevant, golden.computeRelevant)
        XCTAssertEqual(run.differences(from: golden).count, 3)
        XCTAssertTrue(run.differences(from: golden).contains(
            "BLAS build: OpenBLAS 0.3.21 DYNAMIC_ARCH <core> MAX_THREADS=64 → OpenBLAS 0.3.21 DYNAMIC_ARCH <core> MAX_THREADS=128"))

        // A kernel path, the C library or the BLAS version is compute-relevant.
        var moved = golden
        moved.kernelPaths["VectorExp"] = "avx2"
        moved.toolchain.cLibrary = "glibc 2.39"
        moved.blas?.version = "0.3.26"
        XCTAssertEqual(moved.differences(from: golden), [
            "BLAS library: OpenBLAS 0.3.21 → OpenBLAS 0.3.26",
            "kernel VectorExp: swift-simd (baseline x86-64: SSE2) → avx2",
            "C library: glibc 2.36 → glibc 2.39",
        ])
    }

    func testFingerprintRoundTripsThroughProvenanceJSON() throws {
        let fingerprint = Self.fingerprint(choice: .selectedByClaimBench)
        let provenance = Provenance(
            gitCommit: "abc", gitDirty: false, swiftVersion: "Swift 6.3", operatingSystem: "Linux", cpuModel: "cpu", cores: 2,
            blasConfiguration: "OpenBLAS", blasThreads: 1, buildConfiguration: "release", startTime: "2026-12-01T00:00:00Z",
            wallSeconds: 1, fingerprint: fingerprint)
        let data = try CanonicalJSON.encode(provenance)
        XCTAssertEqual(try CanonicalJSON.decode(Provenance.self, from: data), provenance)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"core_choice\" : \"selected-by-claimbench\""), text)
        XCTAssertTrue(text.contains("\"kernel_paths\""), text)

        // A record written before fingerprints existed still decodes, with none.
        var legacy = provenance
        legacy.fingerprint = nil
        let oldText = String(decoding: try CanonicalJSON.encode(legacy), as: UTF8.self)
        XCTAssertFalse(oldText.contains("fingerprint"))
        XCTAssertNil(try CanonicalJSON.decode(Provenance.self, from: Data(oldText.utf8)).fingerprint)
    }

    func testThisMachinesToolchainNamesItsCLibrary() {
        let toolchain = PlatformFingerprint.Toolchain.current()
        XCTAssertTrue(toolchain.swiftCompiler.hasPrefix("Swift "))
        #if canImport(Glibc)
        XCTAssertTrue(toolchain.cLibrary.hasPrefix("glibc 2."), toolchain.cLibrary)
        #endif
    }
}
