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

/// A `--preset` option with a documented default.
struct PresetOption: ParsableArguments {
    @Option(name: .long, help: "Preset to run: smoke (CI, seconds), default (make bench, minutes) or full (paper scale).")
    var preset: String = "default"

    var name: PresetName { PresetName(preset) }
}
