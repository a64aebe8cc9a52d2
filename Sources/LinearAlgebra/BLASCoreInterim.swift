import Foundation

/// Interim: OpenBLAS core names for calibration, until the BLAS kernel choice lands.
public enum BLASCore {
    /// Cores this x86-64 CPU can run, from /proc/cpuinfo flags, best first.
    public static func runnable() -> [String] {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        var cores: [String] = []
        if flags.contains("avx512f") { cores.append("SkylakeX") }
        if flags.contains("avx2") && flags.contains("fma") { cores += ["Zen", "Haswell"] }
        if flags.contains("avx") { cores.append("Sandybridge") }
        if flags.contains("sse4_2") { cores.append("Nehalem") }
        cores.append("Prescott")
        return cores
    }

    public static func calibrationAlternatives(excluding core: String, count: Int) -> [String] {
        let preferred = ["Haswell", "Prescott", "Sandybridge", "Nehalem"].filter { runnable().contains($0) && $0 != core }
        return Array(preferred.prefix(count))
    }

    public static func requireRunnable(_ core: String, option: String) throws {
        guard runnable().contains(core) else {
            throw BLASCoreUnavailable(core: core, option: option, runnable: runnable())
        }
    }

    public struct BLASCoreUnavailable: Error, CustomStringConvertible {
        public var core: String, option: String, runnable: [String]
        public var description: String { "\(option): this CPU cannot run OpenBLAS core \(core); it can run \(runnable.joined(separator: ", "))" }
    }
}
