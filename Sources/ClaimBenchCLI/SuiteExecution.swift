import Foundation
import HarnessCore
import LinearAlgebra

/// Runs suites for `run`, `check` and `golden`: decode, pin BLAS threads, run, write the record.
struct SuiteExecution {
    let workspace: Workspace
    let threads: Int

    struct Options {
        var seed: UInt64? = nil
        var replicates: Int? = nil
        /// Parent directory for run directories (default results/runs).
        var output: URL? = nil
    }

    struct Result {
        var directory: URL
        var record: RunRecord
    }

    /// Decodes every selected suite's preset first, so a bad declaration fails before hours of running.
    func prepare(_ suites: [SuiteDeclaration], preset: PresetName) throws -> [(SuiteDeclaration, RegisteredExperiment.Prepared)] {
        try suites.map { declaration in
            (declaration, try workspace.experiment(for: declaration).prepare(try declaration.preset(preset)))
        }
    }

    func run(
        _ declaration: SuiteDeclaration, preset: PresetName, prepared: RegisteredExperiment.Prepared, options: Options = Options()
    ) throws -> Result {
        BLASRuntime.setThreads(threads)
        let seed = options.seed ?? declaration.seed
        print("▶ \(declaration.id) (\(preset), seed \(seed), \(threads) thread\(threads == 1 ? "" : "s")): \(declaration.title)")
        let provenance = Provenance.collect(
            repositoryRoot: workspace.root, blasConfiguration: BLASRuntime.configuration, blasThreads: BLASRuntime.threads,
            fingerprint: .current(threads: threads))
        let context = RunContext(
            seed: seed, replicatesOverride: options.replicates, threads: threads,
            progress: ProgressDisplay.reporter(label: declaration.id.rawValue))
        let outcome = try SuiteRunner.run(declaration, preset: preset, prepared: prepared, context: context, provenance: provenance)
        let directory = try workspace.store.newRunDirectory(suite: declaration.id, preset: preset, under: options.output)
        try workspace.store.write(outcome.record, tables: outcome.tables, to: directory)
        print("  ran in \(ProgressDisplay.duration(outcome.record.provenance.wallSeconds)) → \(workspace.displayPath(directory))")
        // A golden for this preset knows which verdicts varied across BLAS cores and threads.
        let fragile = (try? workspace.store.loadGolden(declaration.id, preset))?.fragile ?? [:]
        printClaims(outcome.record, fragile: fragile)
        return Result(directory: directory, record: outcome.record)
    }

    func printClaims(_ record: RunRecord, fragile: [String: [Verdict]] = [:]) {
        guard !record.claims.isEmpty else { return }
        let width = record.claims.map(\.id.rawValue.count).max() ?? 0
        for claim in record.claims {
            let marker = switch claim.verdict {
            case .reproduced: "✓"
            case .inconclusive: "?"
            case .notReproduced: "✗"
            }
            let note = fragile[claim.id.rawValue].map {
                "  FRAGILE: the golden's calibration runs gave \($0.map(\.rawValue).joined(separator: " / "))"
            } ?? ""
            print("  \(marker) \(claim.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(claim.verdict.rawValue.uppercased())\(note)")
            print("      ours:  \(claim.metric) \(claim.predicate): \(claim.observedSummary)")
            print("      \(claim.statedBy): \(claim.paperValue)")
            if let source = claim.source { print("      source: \(source.summary)") }
        }
    }
}

extension RunRecord {
    /// Exit status implied by the claims: a claim not reproduced is a regression.
    var claimStatus: ExitStatus { overallVerdict == .notReproduced ? .regression : .success }
}

extension ClaimResult {
    /// "paper" for the paper's (or its authors') statement, "ours" for our own diagnostic.
    var statedBy: String {
        guard let source else { return "paper (source not recorded)" }
        return source.isPaperStatement ? "paper" : "ours"
    }

    /// The deciding observation: the value itself for a single metric, else the worst match and where.
    var observedSummary: String {
        let evaluable = observations.filter { !$0.value.isNaN }
        let worst = observations.first { $0.metric == deciding } ?? observations[0]
        let value = formatted(worst.value, interval: worst.interval)
        guard observations.count > 1 else { return value }
        let held = evaluable.filter { $0.verdict == .reproduced }.count
        let unmeasured = observations.count - evaluable.count
        let allowed = maxUnmeasurable.map { ", \($0) allowed" } ?? ""
        return "\(value) at \(worst.metric) (\(held)/\(evaluable.count) hold"
            + (unmeasured > 0 ? "; \(unmeasured) not measurable\(allowed))" : ")")
    }
}
