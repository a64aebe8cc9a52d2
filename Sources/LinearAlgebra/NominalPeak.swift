import Foundation
public import HarnessCore

/// The CPU's nominal double-precision peak, the yardstick `perf` holds the measured dgemm rate
/// against: cores × FMA units per core × (vector bits / 64) lanes × 2 flops × clock.
///
/// FMA units and vector width are not in CPUID; they come from this table of
/// microarchitectures (vendors' optimisation manuals), keyed by vendor, family and model.
/// A CPU not in the table gets no nominal peak ("unknown") rather than a guess.
///
/// | CPU (vendor, family, model)                                      | FMA units × bits |
/// |------------------------------------------------------------------|------------------|
/// | Intel 6: Haswell … Comet Lake (60 63 69 70 61 71 79 86 78 94 142 158 165 166) | 2 × 256 |
/// | Intel 6/85 Skylake-SP, Cascade/Cooper Lake: Platinum, Gold 6xxx   | 2 × 512 |
/// | Intel 6/85 Silver, Bronze, Gold 5xxx                              | 1 × 512 |
/// | Intel 6: Ice/Tiger Lake client (125 126 140 141)                  | 1 × 512 |
/// | Intel 6: Ice Lake-SP (106 108), Sapphire/Emerald/Granite Rapids (143 207 173 174) | 2 × 512 |
/// | AMD 23 models < 0x30 (Zen, Zen+)                                  | 2 × 128 |
/// | AMD 23 models ≥ 0x30 (Zen 2), AMD 25 (Zen 3, Zen 4: AVX-512 on 256-bit units) | 2 × 256 |
/// | AMD 26 EPYC (Zen 5 server)                                        | 2 × 512 |
/// | Arm 0x41 parts 0xd0c (Neoverse N1), 0xd49 (N2)                    | 2 × 128 |
/// | Arm 0x41 parts 0xd40 (Neoverse V1), 0xd4f (V2)                    | 4 × 128 |
///
/// Hybrid Intel parts (Alder/Raptor Lake), whose P- and E-cores differ, are left unknown.
/// The clock is the maximum (turbo) frequency from cpufreq, else /proc/cpuinfo's "cpu MHz"
/// (a virtual machine's nominal clock); AVX-512 code often runs below it.
public struct NominalPeak: Sendable, Equatable {
    /// The microarchitecture's double-precision FMA resources.
    public struct FMAUnits: Sendable, Equatable {
        public var microarchitecture: String
        public var unitsPerCore: Int
        public var vectorBits: Int

        public init(microarchitecture: String, unitsPerCore: Int, vectorBits: Int) {
            self.microarchitecture = microarchitecture
            self.unitsPerCore = unitsPerCore
            self.vectorBits = vectorBits
        }

        public var lanes: Int { vectorBits / 64 }
    }

    public var units: FMAUnits
    public var cores: Int
    public var clockHz: Double
    /// Where the clock came from: "cpufreq max" or "/proc/cpuinfo cpu MHz".
    public var clockSource: String

    public init(units: FMAUnits, cores: Int, clockHz: Double, clockSource: String) {
        self.units = units
        self.cores = cores
        self.clockHz = clockHz
        self.clockSource = clockSource
    }

    /// cores × units × lanes × 2 × clock.
    public var flopsPerSecond: Double { Double(cores * units.unitsPerCore * units.lanes * 2) * clockHz }

    /// "2 cores × 2 FMA × 4 lanes × 2 × 2.45 GHz (Zen 3/4, clock from /proc/cpuinfo cpu MHz)".
    public var formula: String {
        "\(cores) core\(cores == 1 ? "" : "s") × \(units.unitsPerCore) FMA × \(units.lanes) lanes × 2 × "
            + String(format: "%.2f GHz", clockHz / 1e9) + " (\(units.microarchitecture), clock from \(clockSource))"
    }

    /// The nominal peak of `threads` threads on this machine (one per physical core, at most
    /// all of them), or `nil` when the microarchitecture or the clock is unknown.
    public static func current(threads: Int) -> NominalPeak? {
        let cpu = PlatformFingerprint.CPU.current()
        guard let units = fmaUnits(of: cpu) else { return nil }
        let sysfs = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding: .utf8)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard let (clock, source) = clock(cpufreqMaxKHz: sysfs, cpuinfo: cpuinfo) else { return nil }
        let cores = min(threads, cpu.physicalCores ?? cpu.logicalCores)
        return NominalPeak(units: units, cores: max(cores, 1), clockHz: clock, clockSource: source)
    }

    /// The clock in Hz: cpufreq's `cpuinfo_max_freq` (kHz) when present, else the first "cpu MHz".
    public static func clock(cpufreqMaxKHz: String?, cpuinfo: String) -> (Double, String)? {
        if let text = cpufreqMaxKHz?.trimmingCharacters(in: .whitespacesAndNewlines), let kHz = Double(text), kHz > 0 {
            return (kHz * 1e3, "cpufreq max")
        }
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("cpu MHz") {
            if let colon = line.firstIndex(of: ":"),
               let mhz = Double(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)), mhz > 0
            {
                return (mhz * 1e6, "/proc/cpuinfo cpu MHz")
            }
        }
        return nil
    }

    /// The table above; `nil` for a CPU not in it.
    public static func fmaUnits(of cpu: PlatformFingerprint.CPU) -> FMAUnits? {
        func units(_ name: String, _ count: Int, _ bits: Int) -> FMAUnits {
            FMAUnits(microarchitecture: name, unitsPerCore: count, vectorBits: bits)
        }
        guard let model = cpu.model else { return nil }
        switch (cpu.vendor, cpu.family) {
        case ("GenuineIntel", 6?):
            switch model {
            case 60, 63, 69, 70, 61, 71, 79, 86, 78, 94, 142, 158, 165, 166: return units("Haswell…Comet Lake", 2, 256)
            case 85:
                let name = cpu.modelName
                if name.contains("Platinum") || name.contains("Gold 6") { return units("Skylake-SP/Cascade Lake", 2, 512) }
                if name.contains("Silver") || name.contains("Bronze") || name.contains("Gold 5") {
                    return units("Skylake-SP/Cascade Lake", 1, 512)
                }
                return nil
            case 125, 126, 140, 141: return units("Ice/Tiger Lake client", 1, 512)
            case 106, 108: return units("Ice Lake-SP", 2, 512)
            case 143, 207, 173, 174: return units("Sapphire/Emerald/Granite Rapids", 2, 512)
            default: return nil
            }
        case ("AuthenticAMD", 23?), ("HygonGenuine", 24?):
            return model < 0x30 ? units("Zen/Zen+", 2, 128) : units("Zen 2", 2, 256)
        case ("AuthenticAMD", 25?): return units("Zen 3/4", 2, 256)
        case ("AuthenticAMD", 26?): return cpu.modelName.contains("EPYC") ? units("Zen 5 server", 2, 512) : nil
        case ("0x41", _):
            switch model {
            case 0xd0c: return units("Neoverse N1", 2, 128)
            case 0xd49: return units("Neoverse N2", 2, 128)
            case 0xd40: return units("Neoverse V1", 4, 128)
            case 0xd4f: return units("Neoverse V2", 4, 128)
            default: return nil
            }
        default: return nil
        }
    }
}
