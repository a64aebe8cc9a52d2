import ArgumentParser
import Foundation
import HarnessCore

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Repository root holding suites/, results/ and plots/.", valueName: "dir"))
    var root: String?

    @Option(name: .long, help: "Worker and BLAS threads (pinned and recorded in the run's provenance).")
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
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
