public import HarnessCore

extension BLASCore {
    /// Up to `count` cores other than `inUse` that this CPU can run, for a golden's calibration
    /// runs: Haswell and Prescott first (a vector kernel and the generic fallback far apart),
    /// then Sandybridge, Nehalem and Core2 (docs/ARCHITECTURE.md, "Golden check").
    public static func calibrationAlternatives(for cpu: PlatformFingerprint.CPU, inUse: String, count: Int) -> [BLASCore] {
        let preference: [BLASCore] = [.haswell, .prescott, .sandybridge, .nehalem, .core2, .zen, .armv8, .neoverseN1]
        let supported = supported(by: cpu)
        return Array(preference.filter { supported.contains($0) && $0.rawValue.lowercased() != inUse.lowercased() }.prefix(count))
    }
}
