import ArgumentParser
import Foundation
import HarnessCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run suites and compare every metric with its golden value (the CI gate).",
        discussion: """
            Compares each non-timing metric with results/golden/<suite>/<preset>.json under the \
            tolerance the suite declares in [[golden]], and each claim's verdict with the \
            verdict recorded in the golden. Exit 2 when a metric deviates, a verdict changes \
            (a claim recorded as "not reproduced" stays a reported finding, not a failure) or the \
            preset's parameters differ from those the golden was recorded with; 3 when a golden is missing.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: CheckPresetOption

    @Flag(help: "List every metric, not only those that deviate.")
    var all = false

    @Argument(help: "Suites to check (default: all).")
    var suites: [String] = []

    func run() throws {
        let workspace = try common.workspace()
        let execution = SuiteExecution(workspace: workspace, threads: common.threads)
        let prepared = try execution.prepare(try workspace.select(suites), preset: preset.name)
        var status = ExitStatus.success
        var summary = TextTable("suite", "goldens", "claims", "run")
        for (declaration, run) in prepared {
            let result = try execution.run(declaration, preset: preset.name, prepared: run)
            let goldenState: String
            var fragileCount = 0
            do {
                let golden = try workspace.store.loadGolden(declaration.id, preset.name)
                let comparison = try GoldenComparison(record: result.record, golden: golden, declaration: declaration)
                let goldenPath = workspace.displayPath(workspace.store.goldenURL(declaration.id, preset.name))
                for line in Self.platformComparison(run: result.record.provenance, golden: golden.recordedFrom) { print("  \(line)") }
                if !comparison.parameterChanges.isEmpty {
                    printError("  error: \(goldenPath) was recorded with other \(preset.name) parameters than \(declaration.file) declares now:")
                    for change in comparison.parameterChanges { printError("    \(change)") }
                    printError("  re-record it if the change is deliberate: make golden SUITE=\(declaration.id) PRESET=\(preset.name) REASON=\"why\"")
                }
                let within = comparison.rows.count - comparison.failures.count
                print("  golden \(goldenPath): \(within) of \(comparison.rows.count) metrics within tolerance")
                if all || !comparison.failures.isEmpty { print(Self.render(comparison, onlyFailures: !all)) }
                print(Self.renderClaims(comparison))
                fragileCount = comparison.fragileClaims.count
                goldenState = comparison.passed ? "\(comparison.rows.count) ok"
                    : !comparison.parameterChanges.isEmpty ? "PRESET CHANGED"
                    : "\(comparison.failures.count + comparison.claimFailures.count) of \(comparison.rows.count + comparison.claims.count) FAILED"
                if !comparison.passed { status = max(status, .regression) }
            } catch let error as GoldenFileError {
                printError("  error: \(error)")
                if case .missing = error { status = max(status, .goldenMissing) } else { status = max(status, .runFailed) }
                goldenState = { if case .missing = error { return "MISSING" } else { return "CORRUPT" } }()
            }
            let verdict = result.record.overallVerdict?.rawValue ?? "—"
            summary.add(declaration.id.rawValue, goldenState, verdict + (fragileCount > 0 ? " (\(fragileCount) fragile)" : ""),
                        workspace.displayPath(result.directory))
        }
        print("\nSummary (\(preset.name) preset):")
        print(summary.rendered())
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// Lines saying how the run's platform differs from the one the golden was recorded on,
    /// compute-relevant differences first, printed before any value is compared.
    static func platformComparison(run: Provenance, golden: Provenance) -> [String] {
        guard let now = run.fingerprint else { return [] }
        guard let then = golden.fingerprint else {
            return ["the golden records no platform fingerprint (recorded before fingerprints existed); re-record it to compare platforms"]
        }
        let differences = now.differences(from: then)
        if now.computeRelevant == then.computeRelevant {
            let descriptive = differences.isEmpty ? "" : " (otherwise: \(differences.joined(separator: "; ")))"
            return ["same compute platform as the golden\(descriptive)"]
        }
        return ["platform differs from the golden's (golden → this run):"] + differences.map { "  \($0)" }
    }

    /// The comparison table: metric, golden, now, deviation, tolerance, status.
    static func render(_ comparison: GoldenComparison, onlyFailures: Bool) -> String {
        var table = TextTable("metric", "golden", "now", "deviation", "tolerance", "status")
        for row in comparison.rows where !onlyFailures || row.status.isFailure {
            table.add(row.metric, formatted(row.golden), formatted(row.now), formatted(row.deviation), row.tolerance, row.status.rawValue)
        }
        return table.rendered()
    }

    /// Claim verdicts against those recorded with the golden.
    static func renderClaims(_ comparison: GoldenComparison) -> String {
        var table = TextTable("claim", "golden verdict", "verdict now", "status")
        for row in comparison.claims {
            table.add(row.claim, row.golden?.rawValue ?? "—", row.now?.rawValue ?? "—", row.status.rawValue)
        }
        return table.rendered()
    }
}
