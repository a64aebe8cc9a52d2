import ArgumentParser
import Foundation
import HarnessCore
import LinearAlgebra

struct PlatformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform",
        abstract: "Show this machine's platform fingerprint: CPU features, OpenBLAS core and how it was chosen.",
        discussion: """
            Every run record and golden carries this fingerprint; `check` names the differences \
            between a run's and its golden's before it compares values. OpenBLAS picks its core when \
            it loads; when that core ranks below the best one this CPU supports (a generic fallback \
            such as Prescott on an AVX-512 CPU), ClaimBench selects the best one and re-executes \
            itself. OPENBLAS_CORETYPE or --blas-core choose a core explicitly; a core the CPU cannot \
            run is refused. The C vector kernels take the newest ISA path the CPU runs \
            (baseline, avx2-fma, avx512); CLAIMBENCH_ISA forces an older one.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print only the name of one supported core other than the one in use (for a second CI leg).")
    var alternateCore = false

    @Flag(help: "Print the fingerprint as JSON, as run records store it.")
    var json = false

    func run() throws {
        let cpu = PlatformFingerprint.CPU.current()
        if alternateCore {
            guard let core = BLASCore.alternate(for: cpu, inUse: BLASRuntime.activeCoreName) else {
                throw CLIError("no OpenBLAS core other than \(BLASRuntime.activeCoreName) runs on this CPU")
            }
            print(core.rawValue)
            return
        }
        BLASRuntime.setThreads(common.threads)
        let fingerprint = PlatformFingerprint.current(threads: common.threads)
        if json {
            FileHandle.standardOutput.write(try CanonicalJSON.encode(fingerprint))
            return
        }
        print(Self.render(fingerprint, threads: common.threads))
    }

    static func render(_ fingerprint: PlatformFingerprint, threads: Int) -> String {
        let cpu = fingerprint.cpu
        var table = KeyValueLines()
        let physical = cpu.physicalCores.map { ", \($0) physical" } ?? ""
        table.add("CPU", "\(cpu.summary), \(cpu.architecture), \(cpu.logicalCores) logical\(physical) cores")
        table.add("ISA features", cpu.features.isEmpty ? "none recognised" : cpu.features.joined(separator: " "))
        if let blas = fingerprint.blas {
            let chosen = switch blas.coreChoice {
            case .native: "OpenBLAS's own CPU detection"
            case .selectedByClaimBench: "ClaimBench (OpenBLAS's own choice ranked below this CPU's best core)"
            case .environment: "OPENBLAS_CORETYPE=\(blas.requestedCore ?? "")"
            case .option: "--blas-core \(blas.requestedCore ?? "")"
            }
            table.add("BLAS", "\(blas.library) \(blas.version), \(blas.threads) thread\(blas.threads == 1 ? "" : "s")")
            table.add("BLAS core", "\(blas.core), chosen by \(chosen)")
            table.add("BLAS build", blas.configuration)
        }
        let supported = BLASCore.supported(by: cpu).map(\.rawValue)
        table.add(
            "supported cores",
            supported.isEmpty ? "none" : supported.joined(separator: ", ") + " (best: \(BLASCore.best(for: cpu)?.rawValue ?? "—"))")
        table.add("known-answer dgemm", KnownAnswerGEMM.verify().map { "WRONG: \($0)" } ?? "exact")
        table.add("vector ISA detected", "\(VectorISA.detected.rawValue) (runs: \(VectorISA.runnable.map(\.rawValue).joined(separator: ", ")))")
        table.add(
            "vector ISA active",
            VectorISA.active.rawValue + (VectorISA.forcedBy.map { ", forced by \($0)" } ?? ", as detected (\(VectorISA.environmentVariable) forces an older one)"))
        for kernel in fingerprint.kernelPaths.keys.sorted() { table.add("kernel \(kernel)", fingerprint.kernelPaths[kernel]!) }
        table.add("worker threads", "\(fingerprint.workerThreads)")
        table.add("C library", fingerprint.toolchain.cLibrary)
        table.add("Swift", fingerprint.toolchain.swiftCompiler)
        if let peak = NominalPeak.current(threads: threads) {
            table.add("nominal FMA peak", String(format: "%.1f GFLOP/s = ", peak.flopsPerSecond / 1e9) + peak.formula)
        } else {
            table.add("nominal FMA peak", "unknown (microarchitecture or clock not in the table)")
        }
        return table.rendered
    }
}

/// "label   value" lines with the values aligned.
private struct KeyValueLines {
    private var lines: [(String, String)] = []

    mutating func add(_ label: String, _ value: String) { lines.append((label, value)) }

    var rendered: String {
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}

extension PlatformFingerprint {
    /// The fingerprint of a run with `threads` worker threads: LinearAlgebra's part plus the
    /// vector kernels of the experiment modules (FlashRNN's `VectorMath`, which only the vanilla
    /// pass still uses, is Swift SIMD code compiled for the baseline).
    static func current(threads: Int) -> PlatformFingerprint {
        collect(workerThreads: threads, kernelPaths: ["FlashRNN VectorMath": KernelPaths.swiftSIMDBaseline])
    }
}
