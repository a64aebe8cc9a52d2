public import HarnessCore

/// How the OpenBLAS core of this process was chosen, and the startup decision that chooses it.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` once, when the library loads (before `main`), so a
/// different core needs a new process image: the executable sets the variable and a marker
/// (`markerVariable`, "<choice>:<core>") and re-executes itself once. `decide` is that
/// decision as a pure function of what the process sees; ClaimBenchCLI's startup carries it out.
/// Precedence: `--blas-core`, then the user's `OPENBLAS_CORETYPE`, then OpenBLAS's own choice
/// unless it ranks below the best core the CPU supports (a generic fallback).
public struct BLASCoreSelection: Sendable, Equatable {
    public var choice: PlatformFingerprint.BLAS.CoreChoice
    /// The core name asked for; `nil` for `native`.
    public var requested: String?

    public init(choice: PlatformFingerprint.BLAS.CoreChoice, requested: String?) {
        self.choice = choice
        self.requested = requested
    }

    /// Set by ClaimBench before it re-executes itself; never by users.
    public static let markerVariable = "CLAIMBENCH_BLAS_CORE_SELECTED"

    /// What the startup does.
    public enum Decision: Sendable, Equatable {
        /// Keep the loaded core, chosen this way.
        case proceed(BLASCoreSelection)
        /// Set `OPENBLAS_CORETYPE=core` and the marker `"\(choice.rawValue):\(core.rawValue)"`, then re-execute.
        case reexecute(BLASCore, PlatformFingerprint.BLAS.CoreChoice)
        /// A request the CPU or ClaimBench cannot honour: one line, exit 64.
        case refuse(String)
        /// `--blas-core` asked for a core the library cannot switch to: one line, exit 1.
        case fail(String)
    }

    /// What this process sees at startup.
    public struct Inputs: Sendable {
        public var cpu: PlatformFingerprint.CPU
        /// `openblas_get_corename()`.
        public var loadedCore: String
        /// Whether the library can switch cores (its configuration says DYNAMIC_ARCH).
        public var dynamicArch: Bool
        /// The `--blas-core` value, if given.
        public var option: String?
        /// `OPENBLAS_CORETYPE`, if set and not empty.
        public var environmentCore: String?
        /// `markerVariable`, if set.
        public var marker: String?

        public init(
            cpu: PlatformFingerprint.CPU, loadedCore: String, dynamicArch: Bool, option: String?, environmentCore: String?,
            marker: String?
        ) {
            self.cpu = cpu
            self.loadedCore = loadedCore
            self.dynamicArch = dynamicArch
            self.option = option
            self.environmentCore = environmentCore
            self.marker = marker
        }
    }

    public static func decide(_ inputs: Inputs) -> Decision {
        let loaded = inputs.loadedCore
        func runs(_ core: BLASCore) -> Bool { core.rawValue.lowercased() == loaded.lowercased() }
        let marked = inputs.marker.flatMap(parseMarker)

        if let option = inputs.option {
            guard let core = BLASCore(name: option) else {
                return .refuse(
                    "--blas-core \(option): unknown core; choose one of "
                        + BLASCore.allCases.map(\.rawValue).joined(separator: ", ")
                        + " (supported here: \(BLASCore.supported(by: inputs.cpu).map(\.rawValue).joined(separator: ", ")))")
            }
            if let refusal = core.refusal(on: inputs.cpu) { return .refuse("--blas-core \(refusal)") }
            if runs(core) { return .proceed(BLASCoreSelection(choice: .option, requested: core.rawValue)) }
            if marked != nil || !inputs.dynamicArch {
                return .fail(
                    "--blas-core \(core.rawValue): OpenBLAS still runs core \(loaded)"
                        + (inputs.dynamicArch ? "" : " (this OpenBLAS is not a DYNAMIC_ARCH build and cannot switch cores)"))
            }
            return .reexecute(core, .option)
        }
        if let (choice, core) = marked {
            // Re-executed once already: keep whatever runs now (OpenBLAS may have replaced the
            // core by its own fallback; the fingerprint records both names, and the startup warns).
            return .proceed(BLASCoreSelection(choice: choice, requested: core.rawValue))
        }
        if let requested = inputs.environmentCore {
            // OpenBLAS 0.3.21 does not check a forced core against the CPU: SkylakeX on a CPU
            // without AVX-512 dies of SIGILL in the first GEMM. Refuse it before that.
            if let core = BLASCore(name: loaded), let refusal = core.refusal(on: inputs.cpu) {
                return .refuse("OPENBLAS_CORETYPE=\(requested): core \(refusal); unset it or set a supported core")
            }
            return .proceed(BLASCoreSelection(choice: .environment, requested: requested))
        }
        if inputs.dynamicArch, let best = BLASCore.best(for: inputs.cpu), let rank = BLASCore.rank(ofLoadedCore: loaded),
           rank < best.rank
        {
            return .reexecute(best, .selectedByClaimBench)
        }
        return .proceed(BLASCoreSelection(choice: .native, requested: nil))
    }

    /// "selected-by-claimbench:Cooperlake" → (.selectedByClaimBench, .cooperlake).
    static func parseMarker(_ marker: String) -> (PlatformFingerprint.BLAS.CoreChoice, BLASCore)? {
        let parts = marker.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let choice = PlatformFingerprint.BLAS.CoreChoice(rawValue: parts[0]),
              let core = BLASCore(name: parts[1])
        else { return nil }
        return (choice, core)
    }

    public static func marker(_ core: BLASCore, _ choice: PlatformFingerprint.BLAS.CoreChoice) -> String {
        "\(choice.rawValue):\(core.rawValue)"
    }
}
