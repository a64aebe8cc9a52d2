import Foundation
internal import VectorKernels

/// The VectorKernels ISA path from Swift: which paths this CPU runs, which one kernels take, and
/// choosing one by name (`CLAIMBENCH_ISA`, or tests that run a kernel on every path).
public enum VectorISA: Int, CaseIterable, Sendable, CustomStringConvertible {
    case baseline = 0, avx2FMA = 1, avx512 = 2

    /// "baseline", "avx2-fma", "avx512" (`vk_isa_name`).
    public var description: String { String(cString: vk_isa_name(vk_isa(rawValue: UInt32(rawValue)))) }

    /// The newest path this CPU runs.
    public static var detected: VectorISA { VectorISA(rawValue: Int(vk_detected_isa().rawValue)) ?? .baseline }

    /// The path kernels take now.
    public static var active: VectorISA { VectorISA(rawValue: Int(vk_active_isa().rawValue)) ?? .baseline }

    /// Every path this CPU runs, oldest first.
    public static var runnable: [VectorISA] { allCases.filter { $0.rawValue <= detected.rawValue } }

    /// Why a path cannot be chosen; the message says what to use instead.
    public struct SelectionError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Chooses the path named `name` for every kernel from now on; throws for an unknown name or
    /// a path this CPU cannot run.
    public static func select(named name: String, source: String = "CLAIMBENCH_ISA") throws {
        let names = runnable.map(\.description).joined(separator: ", ")
        guard let isa = allCases.first(where: { $0.description == name }) else {
            throw SelectionError(description: "\(source)=\(name) is not a vector ISA path: use one of baseline, avx2-fma, avx512 (this CPU runs \(names))")
        }
        guard vk_select_isa(vk_isa(rawValue: UInt32(isa.rawValue))) == 0 else {
            throw SelectionError(description: "\(source)=\(name): this CPU cannot run the \(name) path; it runs \(names)")
        }
    }

    /// Runs `body` once on every path this CPU runs, with that path active, one caller at a time
    /// (kernel paths are process-wide), and restores the path that was active before.
    public static func forEachRunnable(_ body: (VectorISA) throws -> Void) rethrows {
        try lock.withLock {
            let previous = active
            defer { vk_select_isa(vk_isa(rawValue: UInt32(previous.rawValue))) }
            for isa in runnable {
                vk_select_isa(vk_isa(rawValue: UInt32(isa.rawValue)))
                try body(isa)
            }
        }
    }

    private static let lock = NSLock()
}
