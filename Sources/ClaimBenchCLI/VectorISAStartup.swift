import Foundation
import HarnessCore
import LinearAlgebra

/// Start-up choice of the VectorKernels ISA path: `CLAIMBENCH_ISA=baseline|avx2-fma|avx512`
/// forces an older path than the CPU's newest (to check every path's results on one machine);
/// unset or empty keeps the detected one. A path the CPU cannot run is a usage error (exit 64).
/// The path taken is in every run's fingerprint (`KernelPaths`).
public enum VectorISAStartup {
    public static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let name = environment["CLAIMBENCH_ISA"], !name.isEmpty else { return }
        do { try VectorISA.select(named: name) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(ExitStatus.usage.rawValue)
        }
    }
}
