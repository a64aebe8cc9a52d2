internal import COpenBLAS
import Foundation
internal import VectorKernels
public import HarnessCore

/// The core OpenBLAS runs, how it was chosen, and the BLAS part of the platform fingerprint.
extension BLASRuntime {
    /// `openblas_get_corename()`, e.g. "Zen", "Prescott".
    public static var activeCoreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// The core in use, or `nil` when it is one ClaimBench does not select (e.g. "Barcelona").
    public static var activeCore: BLASCore? { BLASCore(name: activeCoreName) }

    /// `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public static var buildConfiguration: String {
        openblas_get_config().map { String(cString: $0) } ?? "unknown"
    }

    /// Whether the library chooses its core at load time (and so honours `OPENBLAS_CORETYPE`).
    public static var isDynamicArch: Bool { buildConfiguration.split(separator: " ").contains("DYNAMIC_ARCH") }

    /// How this process's core was chosen: what the executable's startup recorded with
    /// `recordSelection`, or else (in tests and other hosts) read from `OPENBLAS_CORETYPE`.
    public static var selection: BLASCoreSelection {
        if let recorded = SelectionStore.shared.value { return recorded }
        if let requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !requested.isEmpty {
            return BLASCoreSelection(choice: .environment, requested: requested)
        }
        return BLASCoreSelection(choice: .native, requested: nil)
    }

    /// Called once by the executable's startup, before any command runs.
    public static func recordSelection(_ selection: BLASCoreSelection) { SelectionStore.shared.value = selection }

    /// The BLAS part of the platform fingerprint, with the current thread count.
    public static func fingerprint() -> PlatformFingerprint.BLAS {
        let configuration = buildConfiguration
        let words = configuration.split(separator: " ").map(String.init)
        let selection = selection
        return PlatformFingerprint.BLAS(
            library: words.first ?? "unknown", version: words.count > 1 ? words[1] : "unknown", configuration: configuration,
            core: activeCoreName, coreChoice: selection.choice, requestedCore: selection.requested, threads: threads)
    }

    /// The selection, written once at startup and read afterwards from any thread.
    private final class SelectionStore: @unchecked Sendable {
        static let shared = SelectionStore()
        private let lock = NSLock()
        private var stored: BLASCoreSelection?

        var value: BLASCoreSelection? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }
}

/// The instruction-set path of ClaimBench's own vector kernels. The C kernels (VectorKernels)
/// dispatch at run time and report the path they take (`VectorISA`); Swift SIMD code is compiled
/// for the architecture's baseline (no -march flags), so its path depends only on the architecture.
public enum KernelPaths {
    /// "swift-simd (baseline x86-64: SSE2)" on x86_64.
    public static var swiftSIMDBaseline: String {
        #if arch(x86_64)
        "swift-simd (baseline x86-64: SSE2)"
        #elseif arch(arm64)
        "swift-simd (baseline arm64: NEON)"
        #else
        "swift-simd (baseline)"
        #endif
    }

    /// Every C kernel on the active ISA path: the Float64 ones (`VectorExp` for Sinkhorn's plan
    /// entries and KDE's rescaling, KDE's kernel-sum rows, Sinkhorn's scaling sweep) and the
    /// Float32 ones (the fused RNN step `vk_rnn_fused_f32`, the FMA peak probe `MachineProbes.fmaPeak`).
    public static var current: [String: String] {
        let path = VectorISA.pathDescription
        return ["VectorExp": path, "KDE KernelSums row": path, "Sinkhorn scaling sweep": path, "FusedRNN": path, "FMAPeak": path]
    }
}

extension PlatformFingerprint {
    /// This process's fingerprint: CPU, BLAS (core, choice, current threads), LinearAlgebra's
    /// kernel paths plus `kernelPaths` from modules above it, toolchain, and `workerThreads`.
    public static func collect(workerThreads: Int, kernelPaths extra: [String: String] = [:]) -> PlatformFingerprint {
        PlatformFingerprint(
            cpu: .current(), blas: BLASRuntime.fingerprint(),
            kernelPaths: KernelPaths.current.merging(extra) { _, new in new }, toolchain: .current(),
            workerThreads: workerThreads)
    }
}
