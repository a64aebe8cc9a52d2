import ArgumentParser
import Foundation
import HarnessCore
import LinearAlgebra

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Repository root holding suites/, results/ and plots/.", valueName: "dir"))
    var root: String?

    @Option(name: .long, help: "Worker and BLAS threads (pinned and recorded in the run's provenance).")
    var threads: Int = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "OpenBLAS core to run (Prescott, Core2, Nehalem, Sandybridge, Haswell, Zen, SkylakeX, Cooperlake; ARMV8, NeoverseN1, NeoverseV1); default: OpenBLAS's choice unless it falls back below what the CPU supports. Overrides OPENBLAS_CORETYPE. See `claimbench platform`.",
            valueName: "core"))
    var blasCore: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let blasCore { try Self.validate(blasCore: blasCore) }
    }

    /// The executable's startup (`BLASStartup`) takes `--blas-core` out of the arguments and
    /// switches cores before parsing; here, in-process (tests), the option is checked the same
    /// way and must name the core already running.
    static func validate(blasCore: String) throws {
        let cpu = PlatformFingerprint.CPU.current()
        let decision = BLASCoreSelection.decide(
            BLASCoreSelection.Inputs(
                cpu: cpu, loadedCore: BLASRuntime.activeCoreName, dynamicArch: BLASRuntime.isDynamicArch, option: blasCore,
                environmentCore: nil, marker: nil))
        switch decision {
        case .refuse(let message): throw ValidationError(message)
        case .proceed: return
        case .reexecute, .fail:
            throw ValidationError(
                "--blas-core \(blasCore): this process already runs OpenBLAS core \(BLASRuntime.activeCoreName); the option"
                    + " switches cores only when given to the claimbench executable")
        }
    }

    func workspace() throws -> Workspace { try Workspace(root: root) }
}

/// `--preset`, defaulting to `default` (run, report).
struct PresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset: smoke (CI, seconds), default (make bench, minutes) or full (paper scale).")
    var preset: String = "default"

    var name: PresetName { PresetName(preset) }
}

/// `--preset`, defaulting to `smoke` (check: the CI gate).
struct CheckPresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset: smoke (CI, seconds), default (make bench, minutes) or full (paper scale).")
    var preset: String = "smoke"

    var name: PresetName { PresetName(preset) }
}

/// `--preset` with no default (golden: recording the wrong preset is easy to miss).
struct RequiredPresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset whose golden file to record: smoke, default or full.")
    var preset: String

    var name: PresetName { PresetName(preset) }
}
