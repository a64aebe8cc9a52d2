import Foundation
import HarnessCore

/// What `latest` stands for in `plot` and `report`: each suite's newest canonical run (declared
/// seed, no --set overrides, the wanted preset), said out loud with the newer runs passed over.
enum RunChoice {
    /// The newest canonical run of `declaration`, after printing which it is and what it skipped.
    static func latest(_ declaration: SuiteDeclaration, preset: PresetName?, workspace: Workspace) throws -> (URL, RunRecord) {
        let selection = workspace.store.latestCanonicalRun(of: declaration.id, declaredSeed: declaration.seed, preset: preset)
        for (directory, reason) in selection.skipped.prefix(5) {
            print("  skipped \(workspace.displayPath(directory)): \(reason)")
        }
        if selection.skipped.count > 5 { print("  skipped \(selection.skipped.count - 5) more non-canonical runs of \(declaration.id)") }
        guard let chosen = selection.chosen else {
            let at = preset.map { " at preset \($0)" } ?? ""
            throw CLIError("no canonical run of \(declaration.id)\(at) in results/runs (declared seed \(declaration.seed), no --set):"
                + " run `claimbench run \(declaration.id)\(preset.map { " --preset \($0)" } ?? "")` first")
        }
        print("  using \(workspace.displayPath(chosen.directory)) (newest canonical \(chosen.record.preset) run of \(declaration.id))")
        return (chosen.directory, chosen.record)
    }
}
