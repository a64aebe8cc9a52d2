import ArgumentParser
import Foundation
import HarnessCore
import LinearAlgebra

/// Options every command shares. They may also come before the subcommand
/// (`claimbench --root X list`); `ClaimBenchCommand.hoistingGlobalOptions` moves them after it.
struct CommonOptions: ParsableArguments {
    static let globalOptionNames = ["--root", "--threads"]

    @Option(name: .long, help: ArgumentHelp("Repository root holding suites/, results/ and plots/.", valueName: "dir"))
    var root: String?

    // `.unconditional` so that `--threads -1` reaches validate() instead of reading as a missing value.
    @Option(name: .long, parsing: .unconditional,
            help: "Worker and BLAS threads, 1 up to this machine's cores (pinned and recorded in the run's provenance).")
    var threads: Int = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "OpenBLAS core to run (Prescott, Core2, Nehalem, Sandybridge, Haswell, Zen, SkylakeX, Cooperlake; ARMV8, NeoverseN1, NeoverseV1); default: OpenBLAS's choice unless it falls back below what the CPU supports. Overrides OPENBLAS_CORETYPE. See `claimbench platform`.",
            valueName: "core"))
    var blasCore: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard threads <= cores else {
            throw ValidationError("--threads \(threads) is above this machine's \(cores) cores: use 1…\(cores)")
        }
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

/// `--memory-budget`, for the commands that plan a run (run, check, golden).
struct BudgetOption: ParsableArguments {
    @Option(name: .customLong("memory-budget"), parsing: .unconditional,
            help: ArgumentHelp(
                "Refuse a plan whose estimated peak memory is above this (default: half of this machine's memory).",
                valueName: "size, e.g. 8GiB"))
    var memoryBudget: String?

    func validate() throws {
        guard let memoryBudget else { return }
        guard let bytes = ByteCount.parse(memoryBudget) else {
            throw ValidationError("--memory-budget must be a size ≥ 1 byte such as 8GiB or 512MB, got \(memoryBudget)")
        }
        // A budget the machine cannot meet would let a plan through that dies allocating.
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        if bytes > physical {
            throw ValidationError("--memory-budget \(memoryBudget) is above this machine's \(ByteCount.describe(physical)) of memory")
        }
    }

    /// Bytes: the option's value, or half of physical memory.
    var bytes: Double {
        memoryBudget.flatMap(ByteCount.parse) ?? Double(ProcessInfo.processInfo.physicalMemory) / 2
    }
}

/// `--preset`, defaulting to `default` (run, report).
struct PresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset: smoke (CI, seconds), default (make bench, minutes) or full (paper scale).")
    var preset: String = "default"

    var name: PresetName { PresetName(preset) }
}

/// `--preset`, defaulting to `smoke` (check: the CI gate); with `check --from`, the run's own.
struct CheckPresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset: smoke (CI, seconds; the default), default (make bench, minutes) or full (paper scale).")
    var preset: String?

    var name: PresetName { PresetName(preset ?? "smoke") }
}

/// `--preset` with no default (golden: recording the wrong preset is easy to miss).
struct RequiredPresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset whose golden file to record: smoke, default or full.")
    var preset: String

    var name: PresetName { PresetName(preset) }
}

/// `--no-cache`, for the commands that run units (run, check, golden).
struct CacheOption: ParsableArguments {
    @Flag(name: .customLong("no-cache"), help: ArgumentHelp(
        "Recompute every work unit instead of reading results/cache, and store the fresh results there."
            + " Without it, a unit whose key (declaration, parameters, seed, unit, code and compute platform) is cached is not rerun;"
            + " `claimbench why` says which units would rerun and why."))
    var noCache = false

    var mode: UnitCacheSession.Mode { noCache ? .refresh : .readWrite }
}
