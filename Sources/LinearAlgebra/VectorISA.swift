internal import VectorKernels
import Foundation

/// The instruction-set path of ClaimBench's C vector kernels (the VectorKernels target:
/// `VectorExp`, KDE's kernel-sum rows, Sinkhorn's scaling sweep) and how it was chosen.
///
/// Each kernel is compiled three times with per-function target attributes (baseline x86-64 or
/// arm64, AVX2+FMA, AVX-512) and the copy is chosen at run time from cpuid. Every path gives the
/// same bits (no fused multiply-add; summation orders fixed by lane counts), so the path moves
/// speed, never results. `CLAIMBENCH_ISA` forces an older path, e.g. to play an old machine in
/// the goldens' calibration runs (README, "Vector kernels: how the ISA path is chosen").
public enum VectorISA: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case baseline
    case avx2FMA = "avx2-fma"
    case avx512

    /// The path's name, as `vk_isa_name` spells it.
    public var description: String { rawValue }

    /// The environment variable read at start-up.
    public static let environmentVariable = "CLAIMBENCH_ISA"

    /// The newest path this CPU runs.
    public static var detected: VectorISA { VectorISA(vk_detected_isa()) }

    /// The path the kernels take now.
    public static var active: VectorISA { VectorISA(vk_active_isa()) }

    /// Every path this CPU runs, oldest first.
    public static var runnable: [VectorISA] { allCases.filter { $0 <= detected } }

    /// How the active path was chosen: `nil` when detected, else the variable's value.
    public static var forcedBy: String? { ChoiceStore.shared.value }

    /// The path `CLAIMBENCH_ISA` asks for in `environment`: `nil` when absent or empty. Throws a
    /// one-line message naming the supported paths when the name is unknown or this CPU cannot
    /// run that path.
    public static func requested(in environment: [String: String]) throws -> VectorISA? {
        guard let requested = environment[environmentVariable], !requested.isEmpty else { return nil }
        let supported = runnable.map(\.rawValue).joined(separator: ", ")
        guard let isa = VectorISA(rawValue: requested) else {
            throw VectorISAError(
                "\(environmentVariable)=\(requested) is not a vector ISA path; use one of \(allCases.map(\.rawValue).joined(separator: ", "))"
                    + " (this CPU runs \(supported))")
        }
        guard isa <= detected else {
            throw VectorISAError(
                "\(environmentVariable)=\(requested): this CPU cannot run the \(requested) path; supported here: \(supported)")
        }
        return isa
    }

    /// Start-up: applies `CLAIMBENCH_ISA` from `environment` (absent or empty: the detected path)
    /// and records it for the fingerprint; throws as `requested(in:)`.
    public static func applyEnvironment(_ environment: [String: String]) throws {
        guard let isa = try requested(in: environment) else { return }
        select(isa)
        ChoiceStore.shared.value = "\(environmentVariable)=\(isa.rawValue)"
    }

    /// Chooses the path for every kernel from now on; false (and nothing changes) when this CPU
    /// cannot run it.
    @discardableResult
    public static func select(_ isa: VectorISA) -> Bool { vk_select_isa(isa.cValue) == 0 }

    /// Runs `body` with the kernels on `isa` and restores the previous path afterwards. Calls are
    /// serialised by one process-wide lock, so tests comparing paths do not interleave.
    /// Precondition: this CPU runs `isa`.
    public static func withPath<T>(_ isa: VectorISA, _ body: () throws -> T) rethrows -> T {
        try PathLock.lock.withLock {
            let previous = active
            precondition(select(isa), "this CPU cannot run the \(isa.rawValue) path")
            defer { select(previous) }
            return try body()
        }
    }

    /// Runs `body` once on every path this CPU runs, oldest first, each under `withPath`.
    public static func forEachRunnable(_ body: (VectorISA) throws -> Void) rethrows {
        for isa in runnable { try withPath(isa) { try body(isa) } }
    }

    /// "avx2-fma (C, runtime dispatch, detected)" or "baseline (C, CLAIMBENCH_ISA=baseline; CPU runs avx2-fma)".
    public static var pathDescription: String {
        if let forced = forcedBy { return "\(active.rawValue) (C, \(forced); CPU runs \(detected.rawValue))" }
        return "\(active.rawValue) (C, runtime dispatch, detected)"
    }

    public static func < (lhs: VectorISA, rhs: VectorISA) -> Bool { lhs.cValue.rawValue < rhs.cValue.rawValue }

    private init(_ value: vk_isa) {
        switch value {
        case VK_ISA_AVX512: self = .avx512
        case VK_ISA_AVX2_FMA: self = .avx2FMA
        default: self = .baseline
        }
    }

    private var cValue: vk_isa {
        switch self {
        case .baseline: VK_ISA_BASELINE
        case .avx2FMA: VK_ISA_AVX2_FMA
        case .avx512: VK_ISA_AVX512
        }
    }

    private enum PathLock { static let lock = NSRecursiveLock() }

    /// The forcing variable, written once at start-up and read from any thread.
    private final class ChoiceStore: @unchecked Sendable {
        static let shared = ChoiceStore()
        private let lock = NSLock()
        private var stored: String?

        var value: String? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }
}

/// A vector ISA path that cannot be used: one line for the user (exit 64).
public struct VectorISAError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
