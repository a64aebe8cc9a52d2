import ArgumentParser
import Foundation
import HarnessCore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a suite: paper, presets with their parameters, claims, tolerances, figures, goldens.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The suite to show (see `claimbench list`).")
    var suite: String

    func run() throws {
        let workspace = try common.workspace()
        let declaration = try workspace.select([suite])[0]
        let experiment = try workspace.experiment(for: declaration)
        print("\(declaration.id): \(declaration.title)")
        print("  paper:      \(declaration.paper.title)")
        print("              \(declaration.paper.authors), \(declaration.paper.venue), \(declaration.paper.url)")
        print("              claims stand at: \(declaration.paper.locator)")
        print("  experiment: \(declaration.experiment)   seed: \(declaration.seed)   file: \(declaration.file)")
        print("\nPresets (resolved parameters):")
        for preset in declaration.presetNames {
            let prepared = try experiment.prepare(try declaration.preset(preset))
            let parameters = prepared.parameters
            let golden = workspace.store.goldenURL(declaration.id, preset)
            let goldenState = FileManager.default.fileExists(atPath: golden.path) ? workspace.displayPath(golden) : "no golden file"
            print("  \(preset) [\(goldenState)]: \(prepared.planned.metrics.count) metrics, peak memory ≈ \(ByteCount.describe(prepared.memory.bytes))")
            if case .object(let fields) = parameters {
                for key in fields.keys.sorted() { print("    \(key) = \(fields[key]!.compactText)") }
            }
        }
        print("\nClaims:")
        var claims = TextTable("id", "statement of", "source", "verified", "metric", "predicate", "unmeasurable allowed")
        for claim in declaration.claims {
            claims.add(
                claim.id.rawValue, claim.source.isPaperStatement ? "paper" : "ours (diagnostic)", claim.source.kind.rawValue,
                claim.source.kind == .ours ? "—" : claim.source.verified ? "yes" : "no", claim.metric.pattern,
                claim.predicate.description, String(claim.maxUnmeasurable))
        }
        print(claims.rendered())
        for claim in declaration.claims {
            print("  \(claim.id): \(claim.statement)")
            print("      \(claim.source.isPaperStatement ? "paper" : "ours"): \(claim.paperValue)")
            print("      source: \(claim.source.summary)")
        }
        print("\nGolden tolerances (first matching pattern wins):")
        var tolerances = TextTable("metric pattern", "rel", "abs", "sigmas")
        for tolerance in declaration.golden {
            tolerances.add(tolerance.metric.pattern, formatted(tolerance.relative), formatted(tolerance.absolute), formatted(tolerance.sigmas))
        }
        print(tolerances.rendered())
        print("\nFigures:")
        for figure in declaration.figures { print("  \(figure.id): \(figure.script) ← \(figure.data)") }
    }
}
