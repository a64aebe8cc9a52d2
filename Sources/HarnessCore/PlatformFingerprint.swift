import Foundation

/// The platform a run computed on (docs/ARCHITECTURE.md, "Run record"),
/// recorded in every run record's provenance and so in every golden's `recorded_from`.
///
/// It has two parts. `computeRelevant` holds what can change a computed value's bits: the ISA
/// features, the BLAS library, version, core and threads, the worker threads, the path each
/// dispatched kernel took, and the C library (whose libm is used). The rest (CPU model, how the
/// BLAS core was chosen, the BLAS build string, the Swift compiler) only describes the machine.
/// `check` prints `differences(from:)` between a run and its golden, compute-relevant first.
///
/// HarnessCore has no BLAS: LinearAlgebra supplies the `blas` part and the kernel paths.
public struct PlatformFingerprint: Codable, Sendable, Equatable {
    public var cpu: CPU
    /// `nil` only where no BLAS was linked (tests of HarnessCore alone).
    public var blas: BLAS?
    /// Kernel name → the instruction-set path it took, e.g. "VectorExp": "swift-simd (baseline x86-64: SSE2)".
    public var kernelPaths: [String: String]
    public var toolchain: Toolchain
    /// Threads of the experiment's own parallel loops (`--threads`).
    public var workerThreads: Int

    public init(cpu: CPU, blas: BLAS?, kernelPaths: [String: String], toolchain: Toolchain, workerThreads: Int) {
        self.cpu = cpu
        self.blas = blas
        self.kernelPaths = kernelPaths
        self.toolchain = toolchain
        self.workerThreads = workerThreads
    }

    enum CodingKeys: String, CodingKey {
        case cpu, blas, kernelPaths = "kernel_paths", toolchain, workerThreads = "worker_threads"
    }

    // MARK: - Parts

    /// The processor, from /proc/cpuinfo.
    public struct CPU: Codable, Sendable, Equatable {
        /// "x86_64" or "arm64".
        public var architecture: String
        /// `vendor_id` on x86 ("GenuineIntel", "AuthenticAMD"); "CPU implementer" on arm64.
        public var vendor: String
        public var modelName: String
        /// x86 `cpu family`; `nil` where /proc/cpuinfo has none.
        public var family: Int?
        /// x86 `model`, arm64 `CPU part`.
        public var model: Int?
        public var logicalCores: Int
        /// Distinct (physical id, core id) pairs; `nil` where /proc/cpuinfo does not say.
        public var physicalCores: Int?
        /// The features in `relevantFeatures` this CPU reports, in that order.
        public var features: [String]

        public init(
            architecture: String, vendor: String, modelName: String, family: Int?, model: Int?, logicalCores: Int,
            physicalCores: Int?, features: [String]
        ) {
            self.architecture = architecture
            self.vendor = vendor
            self.modelName = modelName
            self.family = family
            self.model = model
            self.logicalCores = logicalCores
            self.physicalCores = physicalCores
            self.features = features
        }

        enum CodingKeys: String, CodingKey {
            case architecture, vendor, modelName = "model_name", family, model, logicalCores = "logical_cores"
            case physicalCores = "physical_cores", features
        }

        /// The ISA features that decide which BLAS core and which vector path can run, under
        /// Linux's /proc/cpuinfo names (x86 `pni` is recorded as `sse3`).
        public static let relevantFeatures = [
            "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma",
            "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_bf16",
            "neon", "asimd", "asimddp", "sve", "sve2",
        ]

        public func has(_ feature: String) -> Bool { features.contains(feature) }

        /// The CPU of this machine.
        public static func current() -> CPU {
            let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            return parse(cpuinfo: text, architecture: compiledArchitecture, logicalCores: ProcessInfo.processInfo.activeProcessorCount)
        }

        /// "x86_64", "arm64" or "other": the architecture this binary was built for.
        public static var compiledArchitecture: String {
            #if arch(x86_64)
            "x86_64"
            #elseif arch(arm64)
            "arm64"
            #else
            "other"
            #endif
        }

        /// Reads a /proc/cpuinfo text: the first processor's fields, and the core count over all.
        public static func parse(cpuinfo: String, architecture: String, logicalCores: Int) -> CPU {
            var first: [String: String] = [:]
            var cores: [String] = []
            var physical = ""
            for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if first[key] == nil { first[key] = value }
                if key == "physical id" { physical = value }
                if key == "core id" { cores.append("\(physical)/\(value)") }
            }
            let flags = Swift.Set((first["flags"] ?? first["Features"] ?? "").split(separator: " ").map {
                $0 == "pni" ? "sse3" : String($0)
            })
            let vendor = first["vendor_id"] ?? first["CPU implementer"] ?? "unknown"
            let model = first["model"].flatMap { Int($0) } ?? first["CPU part"].flatMap { integer($0) }
            let name = first["model name"]
                ?? first["CPU part"].map { "implementer \(vendor), part \($0)" } ?? "unknown"
            var distinctCores: [String] = []
            for core in cores where !distinctCores.contains(core) { distinctCores.append(core) }
            return CPU(
                architecture: architecture, vendor: vendor, modelName: name,
                family: first["cpu family"].flatMap { Int($0) }, model: model, logicalCores: logicalCores,
                physicalCores: distinctCores.isEmpty ? nil : distinctCores.count,
                features: relevantFeatures.filter { flags.contains($0) })
        }

        /// Decimal or 0x-prefixed hexadecimal.
        private static func integer(_ text: String) -> Int? {
            text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        }

        /// "AMD EPYC (AuthenticAMD family 25 model 1)".
        public var summary: String {
            var ids = [vendor]
            if let family { ids.append("family \(family)") }
            if let model { ids.append("model \(model)") }
            return "\(modelName) (\(ids.joined(separator: " ")))"
        }
    }

    /// The BLAS library and the core (kernel set) it runs.
    public struct BLAS: Codable, Sendable, Equatable {
        /// Who chose the core that runs.
        public enum CoreChoice: String, Codable, Sendable, Equatable {
            /// The library's own CPU detection.
            case native
            /// ClaimBench, because the library fell back to a core below what the CPU supports.
            case selectedByClaimBench = "selected-by-claimbench"
            /// The user's `OPENBLAS_CORETYPE` environment variable.
            case environment = "OPENBLAS_CORETYPE"
            /// The user's `--blas-core` option.
            case option = "--blas-core"
        }

        /// "OpenBLAS".
        public var library: String
        /// "0.3.21".
        public var version: String
        /// `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
        public var configuration: String
        /// `openblas_get_corename()`: the kernel set in use, e.g. "Zen".
        public var core: String
        public var coreChoice: CoreChoice
        /// The core name that was asked for (by the user or by ClaimBench); `nil` for `native`.
        public var requestedCore: String?
        public var threads: Int

        public init(
            library: String, version: String, configuration: String, core: String, coreChoice: CoreChoice,
            requestedCore: String?, threads: Int
        ) {
            self.library = library
            self.version = version
            self.configuration = configuration
            self.core = core
            self.coreChoice = coreChoice
            self.requestedCore = requestedCore
            self.threads = threads
        }

        enum CodingKeys: String, CodingKey {
            case library, version, configuration, core, coreChoice = "core_choice", requestedCore = "requested_core", threads
        }

        /// The build configuration with the core's name blanked out (DYNAMIC_ARCH builds name
        /// the running core in it, which `core` already reports).
        var buildWithoutCore: String {
            configuration.split(separator: " ").map { $0 == core ? "<core>" : String($0) }.joined(separator: " ")
        }
    }

    /// The compiler and C library the binary runs with.
    public struct Toolchain: Codable, Sendable, Equatable {
        /// "Swift 6.3".
        public var swiftCompiler: String
        /// "glibc 2.36", or "unknown".
        public var cLibrary: String

        public init(swiftCompiler: String, cLibrary: String) {
            self.swiftCompiler = swiftCompiler
            self.cLibrary = cLibrary
        }

        enum CodingKeys: String, CodingKey { case swiftCompiler = "swift_compiler", cLibrary = "c_library" }

        public static func current() -> Toolchain {
            Toolchain(swiftCompiler: Provenance.compilerVersion, cLibrary: cLibraryVersion())
        }

        /// glibc's name and version ("glibc 2.36"): `confstr(_CS_GNU_LIBC_VERSION)` gives the
        /// string `gnu_get_libc_version()` returns, prefixed by the library's name.
        static func cLibraryVersion() -> String {
            #if canImport(Glibc)
            var buffer = [CChar](repeating: 0, count: 64)
            let length = confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count)
            if length > 0, length <= buffer.count { return String(decoding: buffer.prefix(length - 1).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            #endif
            return "unknown"
        }
    }

    /// What can change computed bits; equal parts mean "the same compute platform". Feeds
    /// `check`'s "platform differs" line and the result cache's keys.
    public struct ComputeRelevant: Codable, Sendable, Equatable {
        public var isaFeatures: [String]
        public var blasLibrary: String?
        public var blasVersion: String?
        public var blasCore: String?
        public var blasThreads: Int?
        public var workerThreads: Int
        public var kernelPaths: [String: String]
        public var cLibrary: String

        enum CodingKeys: String, CodingKey {
            case isaFeatures = "isa_features", blasLibrary = "blas_library", blasVersion = "blas_version"
            case blasCore = "blas_core", blasThreads = "blas_threads", workerThreads = "worker_threads"
            case kernelPaths = "kernel_paths", cLibrary = "c_library"
        }

        /// One line per difference, "what: other's → this one's", in the order of the fields:
        /// e.g. "OpenBLAS core: Haswell → SkylakeX". Used by `check` (through
        /// `PlatformFingerprint.differences`) and by `claimbench why` (a cache key's platform part).
        public func differences(from other: ComputeRelevant) -> [String] {
            var lines: [String] = []
            func compare<T: Equatable>(_ label: String, _ old: T, _ new: T, _ show: (T) -> String) {
                if old != new { lines.append("\(label): \(show(old)) → \(show(new))") }
            }
            let lost = other.isaFeatures.filter { !isaFeatures.contains($0) }
            let gained = isaFeatures.filter { !other.isaFeatures.contains($0) }
            if !lost.isEmpty || !gained.isEmpty {
                let parts = (lost.isEmpty ? [] : ["lost " + lost.joined(separator: ", ")])
                    + (gained.isEmpty ? [] : ["gained " + gained.joined(separator: ", ")])
                lines.append("ISA features: " + parts.joined(separator: "; "))
            }
            switch (other.blasLibrary, blasLibrary) {
            case let (old?, new?):
                compare("BLAS library", "\(old) \(other.blasVersion ?? "?")", "\(new) \(blasVersion ?? "?")") { $0 }
                compare("\(new) core", other.blasCore, blasCore) { $0 ?? "unknown" }
                compare("BLAS threads", other.blasThreads, blasThreads) { $0.map { "\($0)" } ?? "unknown" }
            case (nil, nil): break
            default:
                compare("BLAS", other.blasSummary, blasSummary) { $0 ?? "not recorded" }
            }
            compare("worker threads", other.workerThreads, workerThreads) { "\($0)" }
            for kernel in Swift.Set(other.kernelPaths.keys).union(kernelPaths.keys).sorted() {
                compare("kernel \(kernel)", other.kernelPaths[kernel], kernelPaths[kernel]) { $0 ?? "absent" }
            }
            compare("C library", other.cLibrary, cLibrary) { $0 }
            return lines
        }

        /// "OpenBLAS 0.3.21, core Zen", or `nil` without BLAS.
        var blasSummary: String? {
            blasLibrary.map { "\($0) \(blasVersion ?? "?"), core \(blasCore ?? "unknown")" }
        }
    }

    public var computeRelevant: ComputeRelevant {
        ComputeRelevant(
            isaFeatures: cpu.features, blasLibrary: blas?.library, blasVersion: blas?.version, blasCore: blas?.core,
            blasThreads: blas?.threads, workerThreads: workerThreads, kernelPaths: kernelPaths, cLibrary: toolchain.cLibrary)
    }

    // MARK: - Differences

    /// One line per difference, "what: other's → this one's", compute-relevant first (in the
    /// order of `ComputeRelevant`), then the descriptive rest. Empty when nothing differs.
    /// For `check`, `self` is the run and `other` the golden's `recorded_from`.
    public func differences(from other: PlatformFingerprint) -> [String] {
        var lines = computeRelevant.differences(from: other.computeRelevant)
        func compare<T: Equatable>(_ label: String, _ old: T, _ new: T, _ show: (T) -> String) {
            if old != new { lines.append("\(label): \(show(old)) → \(show(new))") }
        }
        compare("CPU", other.cpu.summary, cpu.summary) { $0 }
        compare("logical cores", other.cpu.logicalCores, cpu.logicalCores) { "\($0)" }
        if let old = other.blas, let new = blas {
            compare("BLAS core chosen by", old.coreChoice, new.coreChoice) { $0.rawValue }
            compare("BLAS build", old.buildWithoutCore, new.buildWithoutCore) { $0 }
        }
        compare("Swift", other.toolchain.swiftCompiler, toolchain.swiftCompiler) { $0 }
        return lines
    }
}
