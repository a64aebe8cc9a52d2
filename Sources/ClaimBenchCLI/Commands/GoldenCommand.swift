import ArgumentParser
import Foundation
import HarnessCore

struct GoldenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golden",
        abstract: "Run a suite, calibrate it under perturbations and (re)record its golden file; the only way goldens change.",
        discussion: """
            Records the run, then reruns the same preset and seed under perturbations, each in a \
            child process: by default the same OpenBLAS core with 2 threads and two other cores the \
            CPU can run (e.g. Haswell and Prescott), so four runs in all; --perturb chooses others. \
            For every metric the golden stores the class those runs showed (exact when all agree \
            bit for bit), the spread, and so the tolerance `check` applies: max(the declared \
            [[golden]] tolerance, 4 × spread). A metric declared exact that moves is an error. A \
            claim whose verdict differs between the runs is recorded as fragile. Cost: about four \
            times the preset's run time.

            Prints how each value moves against the existing golden, then writes \
            results/golden/<suite>/<preset>.json atomically, holding a lock on the suite's golden \
            folder. --reason is stored in the file and is required when a golden already exists: \
            say why the values moved (a fix, a new metric, a changed preset), then commit the file \
            with that reason. --from takes only a canonical run: the declared seed, no --set \
            overrides, the preset's current parameters.

            The recorded run may take units from the result cache (--no-cache recomputes them); \
            the calibration runs never do: each child runs with --no-cache, since a calibration \
            that reads the cache would measure nothing.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: RequiredPresetOption
    @OptionGroup var budget: BudgetOption
    @OptionGroup var cache: CacheOption

    @Option(help: "Why the golden values are (re)recorded; required when replacing a golden.")
    var reason: String?

    @Option(help: ArgumentHelp("Record from this existing run directory instead of running again.", valueName: "run-dir"))
    var from: String?

    @Option(help: ArgumentHelp(
        "Perturbed reruns: `default`, `none` (an uncalibrated golden), or CORE:THREADS,… (e.g. Haswell:1,Prescott:2).",
        valueName: "set"))
    var perturb = "default"

    @Argument(help: "The suites to record.")
    var suites: [String]

    func validate() throws {
        if suites.isEmpty { throw ValidationError("name the suite(s) to record, e.g. `claimbench golden sinkhorn --preset smoke`") }
    }

    func run() throws {
        let workspace = try common.workspace()
        let execution = SuiteExecution(workspace: workspace, threads: common.threads, memoryBudget: budget.bytes)
        let selected = try workspace.select(suites)
        // Refuse before running anything if a reason is needed and missing.
        for declaration in selected where reason == nil {
            let url = workspace.store.goldenURL(declaration.id, preset.name)
            if FileManager.default.fileExists(atPath: url.path) {
                throw CLIError("\(workspace.displayPath(url)) exists: pass --reason \"why the values move\" to replace it", status: .usage)
            }
        }
        _ = try PerturbedRuns.parse(perturb, base: GoldenFile.Perturbation(blasCore: "", threads: common.threads))
        if from != nil && selected.count != 1 { throw CLIError("--from records one suite; name exactly one", status: .usage) }
        let planned = try execution.plan(selected, preset: preset.name, goldens: .replaced)
        let stored = try from.map { try storedRecord(URL(fileURLWithPath: $0), plan: planned[0].plan, workspace: workspace) }
        for item in planned {
            let declaration = item.plan.declaration
            let record = try stored ?? execution.run(item, options: SuiteExecution.Options(cache: cache.mode)).record
            if record.provenance.buildConfiguration != "release" {
                printError("  warning: recorded from a \(record.provenance.buildConfiguration) build; goldens are normally recorded from release builds (make golden)")
            }
            let golden = try calibrated(record, declaration: declaration, workspace: workspace)
            let url = workspace.store.goldenURL(declaration.id, preset.name)
            try workspace.store.withGoldenLock(declaration.id) {
                // Read again under the lock: another process may have written it since planning.
                if let previous = try? workspace.store.loadGolden(declaration.id, preset.name) {
                    let comparison = try GoldenComparison(record: record, golden: previous, declaration: declaration)
                    let moved = comparison.failures.count
                    for change in comparison.parameterChanges { print("  parameter changed since the previous golden: \(change)") }
                    print("  against the previous golden: \(moved == 0 ? "no value moved beyond tolerance" : "\(moved) value(s) moved")")
                    if moved > 0 { print(CheckCommand.render(comparison, onlyFailures: true)) }
                    if !comparison.claimFailures.isEmpty { print(CheckCommand.renderClaims(comparison)) }
                }
                try workspace.store.writeGolden(golden)
            }
            print("  wrote \(workspace.displayPath(url)) (\(golden.metrics.count) metrics; reason: \(golden.reason))")
        }
    }

    /// Reruns the preset under the perturbations and builds the calibrated golden.
    private func calibrated(_ record: RunRecord, declaration: SuiteDeclaration, workspace: Workspace) throws -> GoldenFile {
        guard let core = record.provenance.blasCoreName else {
            throw CLIError("\(declaration.id): the run does not say which OpenBLAS core it used; record it again with this claimbench")
        }
        let base = GoldenFile.Perturbation(blasCore: core, threads: record.provenance.blasThreads)
        let perturbations = try PerturbedRuns.parse(perturb, base: base)
        let runner = PerturbedRuns(workspace: workspace)
        let start = Stopwatch.now()
        var perturbed: [(GoldenFile.Perturbation, RunRecord)] = []
        for (index, perturbation) in perturbations.enumerated() {
            print("  calibration run \(index + 1)/\(perturbations.count): \(perturbation)…")
            perturbed.append((perturbation, try runner.run(declaration, preset: record.preset, seed: record.seed, under: perturbation)))
        }
        let seconds = Stopwatch.now() - start
        let outcome = try GoldenCalibration.calibrate(base: record, perturbed: perturbed)
        if perturbations.isEmpty {
            printError("  warning: --perturb none: the golden is uncalibrated (every spread 0); `check` on another core or thread count may fail")
        }
        let moved = outcome.metrics.filter { $0.value.metricClass != .exact }
        print("  calibrated over \(perturbations.count + 1) runs (\(([base] + perturbations).map(\.description).joined(separator: "; ")))"
            + " in \(ProgressDisplay.duration(seconds)): \(outcome.metrics.count - moved.count) exact, \(moved.count) moved")
        for (name, entry) in moved.sorted(by: { $0.value.spread / max(abs($0.value.value), 1e-300) > $1.value.spread / max(abs($1.value.value), 1e-300) }).prefix(5) {
            print("    \(name): spread \(formatted(entry.spread)) on \(formatted(entry.value))")
        }
        for (claim, verdicts) in outcome.fragile.sorted(by: { $0.key < $1.key }) {
            print("  FRAGILE claim \(claim): verdicts \(verdicts.map(\.rawValue).joined(separator: " / ")) across the runs")
        }
        return GoldenFile(
            record: record, reason: reason ?? "first recording", metrics: outcome.metrics, fragile: outcome.fragile,
            calibration: GoldenFile.Calibration(
                runs: [base] + perturbations, spreadMultiple: GoldenCalibration.defaultSpreadMultiple, seconds: seconds))
    }

    /// The record in `directory`, if it is a canonical, complete run of the planned suite and preset.
    func storedRecord(_ directory: URL, plan: SuitePlan, workspace: Workspace) throws -> RunRecord {
        let declaration = plan.declaration
        let record = try workspace.store.loadRecord(in: directory)
        let shown = workspace.displayPath(directory)
        if let partial = record.partialReason { throw CLIError("--from \(shown): \(partial)", status: .usage) }
        guard record.suite == declaration.id else {
            throw CLIError("\(shown) is a run of \(record.suite), not \(declaration.id)", status: .usage)
        }
        if let why = record.nonCanonicalReason(declaredSeed: declaration.seed, preset: preset.name) {
            throw CLIError("\(shown) is not a canonical \(preset.name) run of \(declaration.id) (\(why)); goldens record only"
                + " the declared seed without --set overrides: run `claimbench golden \(declaration.id) --preset \(preset.name)`", status: .usage)
        }
        if record.notes[SuiteExecution.pendingNote] != nil {
            throw CLIError("\(shown): its claims were never judged (the run stopped); run the suite again", status: .usage)
        }
        let stale = GoldenComparison.changes(from: record.parameters, to: plan.prepared.parameters)
        guard stale.isEmpty else {
            throw CLIError("\(shown) ran other \(preset.name) parameters than \(declaration.file) declares now ("
                + stale.joined(separator: "; ") + "); run the suite again, or record without --from", status: .usage)
        }
        return record
    }
}
