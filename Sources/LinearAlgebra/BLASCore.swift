public import HarnessCore

/// The OpenBLAS cores (kernel sets) ClaimBench can select, under OpenBLAS's own names (the
/// values `OPENBLAS_CORETYPE` takes and `openblas_get_corename()` reports; OpenBLAS compares
/// them case-insensitively).
///
/// A DYNAMIC_ARCH OpenBLAS picks its core from CPUID when the library loads. A release that
/// does not know a CPU falls back to a generic core: Debian's 0.3.21 runs `Prescott` (SSE3, no
/// FMA) on an AVX-512 Xeon of family 6 model 207, at a sixth of the `SkylakeX` speed, and with
/// other last bits. `supported(by:)` says which cores a CPU can run, from its ISA features;
/// `best(for:)` is the one ClaimBench selects when the library's choice ranks below it.
public enum BLASCore: String, CaseIterable, Sendable, Codable {
    case prescott = "Prescott"
    case core2 = "Core2"
    case nehalem = "Nehalem"
    case sandybridge = "Sandybridge"
    case haswell = "Haswell"
    case zen = "Zen"
    case skylakeX = "SkylakeX"
    case cooperlake = "Cooperlake"
    case armv8 = "ARMV8"
    case neoverseN1 = "NeoverseN1"
    case neoverseV1 = "NeoverseV1"

    /// The core named `name`, ignoring case as OpenBLAS does; `nil` for a name ClaimBench does not select.
    public init?(name: String) {
        guard let core = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = core
    }

    /// The /proc/cpuinfo features the core's kernels execute (OpenBLAS's kernel/x86_64 and
    /// kernel/arm64 sources use these instruction sets; Cooperlake adds AVX-512 BF16 for its
    /// bfloat16 GEMM, and OpenBLAS itself replaces it by SkylakeX on a CPU without BF16).
    public var requiredFeatures: [String] {
        switch self {
        case .prescott: ["sse3"]
        case .core2: ["sse3", "ssse3"]
        case .nehalem: ["sse3", "ssse3", "sse4_1", "sse4_2"]
        case .sandybridge: ["sse4_2", "avx"]
        case .haswell, .zen: ["avx", "avx2", "fma"]
        case .skylakeX: ["avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]
        case .cooperlake: ["avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16"]
        case .armv8: ["asimd"]
        case .neoverseN1: ["asimd", "asimddp"]
        case .neoverseV1: ["asimd", "asimddp", "sve"]
        }
    }

    /// Rank by instruction set within an architecture: a core of a higher rank is never slower
    /// for dgemm on a CPU that can run both. Haswell and Zen share a rank (the same AVX2+FMA
    /// kernels with different blocking).
    public var rank: Int {
        switch self {
        case .prescott, .armv8: 0
        case .core2, .neoverseN1: 1
        case .nehalem, .neoverseV1: 2
        case .sandybridge: 3
        case .haswell, .zen: 4
        case .skylakeX: 5
        case .cooperlake: 6
        }
    }

    /// The rank of any core OpenBLAS may report, including the older ones ClaimBench never
    /// selects (Barcelona is 0.3.21's fallback on AMD families it does not know); `nil` for a
    /// name not listed, which ClaimBench then leaves alone.
    public static func rank(ofLoadedCore name: String) -> Int? {
        if let core = BLASCore(name: name) { return core.rank }
        switch name.lowercased() {
        case "unknown", "katmai", "coppermine", "northwood", "banias", "athlon", "opteron", "opteron_sse3": return 0
        case "atom", "penryn", "dunnington", "nano", "bobcat", "barcelona": return 1
        case "bulldozer", "piledriver", "steamroller", "excavator": return 3
        case "cortexa53", "cortexa55", "cortexa57", "cortexa72", "cortexa73", "thunderx", "falkor", "tsv110": return 0
        default: return nil
        }
    }

    /// Features of this core's requirement that `cpu` lacks.
    public func missingFeatures(on cpu: PlatformFingerprint.CPU) -> [String] {
        requiredFeatures.filter { !cpu.has($0) }
    }

    /// The cores `cpu` can run, lowest rank first.
    public static func supported(by cpu: PlatformFingerprint.CPU) -> [BLASCore] {
        allCases.filter { $0.missingFeatures(on: cpu).isEmpty }
    }

    /// The highest-ranked core `cpu` can run; between Haswell and Zen the CPU's vendor decides.
    /// `nil` when it can run none (an architecture OpenBLAS cores are not listed for).
    public static func best(for cpu: PlatformFingerprint.CPU) -> BLASCore? {
        let cores = supported(by: cpu)
        guard let top = cores.map(\.rank).max() else { return nil }
        let amd = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine"
        let candidates = cores.filter { $0.rank == top }
        return candidates.first { $0 == (amd ? .zen : .haswell) } ?? candidates.last
    }

    /// A supported core other than `inUse`, for a CI leg that checks goldens under a second
    /// kernel: Haswell, else Sandybridge, Nehalem, Core2, Prescott, then the rest.
    public static func alternate(for cpu: PlatformFingerprint.CPU, inUse: String) -> BLASCore? {
        let preference: [BLASCore] = [
            .haswell, .sandybridge, .nehalem, .core2, .prescott, .zen, .skylakeX, .cooperlake, .armv8, .neoverseN1, .neoverseV1,
        ]
        let supported = supported(by: cpu)
        return preference.first { supported.contains($0) && $0.rawValue.lowercased() != inUse.lowercased() }
    }

    /// "AVX-512F" for "avx512f": how a refusal names a feature.
    public static func displayName(ofFeature feature: String) -> String {
        switch feature {
        case "sse3": "SSE3"
        case "ssse3": "SSSE3"
        case "sse4_1": "SSE4.1"
        case "sse4_2": "SSE4.2"
        case "avx": "AVX"
        case "avx2": "AVX2"
        case "fma": "FMA"
        case "avx512f": "AVX-512F"
        case "avx512dq": "AVX-512DQ"
        case "avx512bw": "AVX-512BW"
        case "avx512vl": "AVX-512VL"
        case "avx512_bf16": "AVX-512 BF16"
        case "asimd": "ASIMD (NEON)"
        case "asimddp": "ASIMD dot product"
        case "sve": "SVE"
        default: feature
        }
    }

    /// "SkylakeX needs AVX-512F and AVX-512DQ, which this CPU lacks; supported here: …", or
    /// `nil` when `cpu` can run the core.
    public func refusal(on cpu: PlatformFingerprint.CPU) -> String? {
        let missing = missingFeatures(on: cpu).map(Self.displayName(ofFeature:))
        guard !missing.isEmpty else { return nil }
        let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
        let supported = Self.supported(by: cpu).map(\.rawValue)
        return "\(rawValue) needs \(list), which this CPU lacks; supported here: "
            + (supported.isEmpty ? "none" : supported.joined(separator: ", "))
    }
}
