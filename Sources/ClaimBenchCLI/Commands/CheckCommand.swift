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
            verdict recorded in the golden. Every golden is loaded before anything runs: exit 3 \
            when one is missing, 1 when one is unreadable. Exit 2 when a metric deviates, a verdict \
            changes (a claim recorded as "not reproduced" stays a reported finding, not a failure) \
            or the preset's parameters differ from those the golden was recorded with.

            --from <run-dir> judges a run made elsewhere (a merged Slurm run, a CI artifact) \
            without running anything: name its suite; the preset is the run's own. The run must \
            be complete and canonical (declared seed, no --set) and not a partial shard (merge \
            shards first with `claimbench merge`). Its claims are judged again under this \
            checkout's declaration, then compared with the golden as above.

            Units are read from the result cache when their key matches (the key holds the code \
            fingerprint, so a changed source reruns what it feeds); --no-cache recomputes all.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: CheckPresetOption
    @OptionGroup var budget: BudgetOption
    @OptionGroup var cache: CacheOption

    @Flag(help: "List every metric, not only those that deviate.")
    var all = false

    @Option(help: ArgumentHelp(
        "Judge this stored run (made here or elsewhere, e.g. by `claimbench merge`) instead of running; name its one suite.",
        valueName: "run-dir"))
    var from: String?

    @Argument(help: "Suites to check (default: all; exactly one with --from).")
    var suites: [String] = []

    func run() throws { try run(in: try common.workspace()) }

    /// The command on `workspace` (tests pass one with their own experiments).
    func run(in workspace: Workspace) throws {
        let stored = try from.map { try storedRun(URL(fileURLWithPath: $0).standardizedFileURL, workspace: workspace) }
        let presetName = stored?.record.preset ?? preset.name
        // A stored run computes nothing, so no memory budget applies to it.
        let execution = SuiteExecution(workspace: workspace, threads: common.threads, memoryBudget: stored == nil ? budget.bytes : .infinity)
        let planned = try execution.plan(try workspace.select(suites), preset: presetName, goldens: .required)
        var status = ExitStatus.success
        var summary = TextTable("suite", "metrics", "claims", "verdict", "run")
        for item in planned {
            let declaration = item.plan.declaration
            let result = try stored.map { try rejudged($0, plan: item.plan, workspace: workspace) } ?? execution.run(item, options: SuiteExecution.Options(cache: cache.mode))
            let golden = item.golden!
            let comparison = try GoldenComparison(record: result.record, golden: golden, declaration: declaration)
            let goldenPath = workspace.displayPath(workspace.store.goldenURL(declaration.id, presetName))
            for line in Self.platformComparison(run: result.record.provenance, golden: golden.recordedFrom) { print("  \(line)") }
            if !comparison.parameterChanges.isEmpty {
                printError("  error: \(goldenPath) was recorded with other \(presetName) parameters than \(declaration.file) declares now:")
                for change in comparison.parameterChanges { printError("    \(change)") }
                printError("  re-record it if the change is deliberate: make golden SUITE=\(declaration.id) PRESET=\(presetName) REASON=\"why\"")
            }
            let metricsWithin = comparison.rows.count - comparison.failures.count
            let claimsHeld = comparison.claims.count - comparison.claimFailures.count
            let timingMoved = comparison.claims.filter { $0.status == .timingMoved }.count
            print("  golden \(goldenPath): \(metricsWithin) of \(comparison.rows.count) metrics within tolerance;"
                  + " \(claimsHeld) of \(comparison.claims.count) claims pass"
                  + (timingMoved > 0 ? " (\(timingMoved) timing verdict(s) moved, not gated)" : ""))
            if all || !comparison.failures.isEmpty { print(Self.render(comparison, onlyFailures: !all)) }
            print(Self.renderClaims(comparison))
            let (metricState, claimState) = Self.states(comparison)
            if !comparison.passed { status = max(status, .regression) }
            summary.add(declaration.id.rawValue, metricState, claimState, result.record.overallVerdict?.rawValue ?? "—",
                        workspace.displayPath(result.directory))
        }
        print("\nSummary (\(presetName) preset):")
        print(summary.rendered())
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// The run `--from` names, if it is a complete, canonical, full run of the one named suite.
    func storedRun(_ directory: URL, workspace: Workspace) throws -> SuiteExecution.Result {
        guard suites.count == 1 else {
            throw CLIError("--from judges one stored run: name its suite, e.g. `claimbench check kde --from <run-dir>`", status: .usage)
        }
        let declaration = try workspace.select(suites)[0]
        let record = try workspace.store.loadRecord(in: directory)
        let shown = workspace.displayPath(directory)
        if let partial = record.partialReason { throw CLIError("--from \(shown): \(partial)", status: .usage) }
        guard record.suite == declaration.id else {
            throw CLIError("--from \(shown) is a run of \(record.suite), not \(declaration.id)", status: .usage)
        }
        if let wanted = preset.preset, PresetName(wanted) != record.preset {
            throw CLIError("--from \(shown) is a \(record.preset) run, not \(wanted); drop --preset or pass --preset \(record.preset)", status: .usage)
        }
        if let why = record.nonCanonicalReason(declaredSeed: declaration.seed, preset: record.preset) {
            throw CLIError("--from \(shown) is not a canonical run (\(why)); goldens hold the declared seed without --set overrides", status: .usage)
        }
        if record.notes[SuiteExecution.pendingNote] != nil {
            throw CLIError("--from \(shown): its claims were never judged (the run stopped); run it again", status: .usage)
        }
        return SuiteExecution.Result(directory: directory, record: record)
    }

    /// The stored run with its claims judged again under this checkout's declaration.
    func rejudged(_ stored: SuiteExecution.Result, plan: SuitePlan, workspace: Workspace) throws -> SuiteExecution.Result {
        var record = stored.record
        print("▶ \(record.suite) (\(record.preset), seed \(record.seed)): judging the stored run \(workspace.displayPath(stored.directory))")
        try SuiteRunner.judge(&record, plan: plan)
        let before = stored.record.claims.map { "\($0.id): \($0.verdict.rawValue)" }
        let now = record.claims.map { "\($0.id): \($0.verdict.rawValue)" }
        if before != now {
            print("  note: the run's stored verdicts (\(before.joined(separator: ", "))) differ from this declaration's; using this declaration's")
        }
        return SuiteExecution.Result(directory: stored.directory, record: record)
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

    /// The summary's metric and claim columns, each counted on its own.
    static func states(_ comparison: GoldenComparison) -> (metrics: String, claims: String) {
        let metrics = !comparison.parameterChanges.isEmpty ? "PRESET CHANGED"
            : comparison.failures.isEmpty ? "\(comparison.rows.count) ok"
            : "\(comparison.failures.count) of \(comparison.rows.count) FAILED"
        let fragile = comparison.fragileClaims.count
        let claims = (comparison.claimFailures.isEmpty ? "\(comparison.claims.count) ok"
            : "\(comparison.claimFailures.count) of \(comparison.claims.count) CHANGED")
            + (fragile > 0 ? " (\(fragile) FRAGILE)" : "")
        return (metrics, claims)
    }

    /// The comparison table: metric, golden, now, deviation, tolerance, status.
    static func render(_ comparison: GoldenComparison, onlyFailures: Bool) -> String {
        var table = TextTable("metric", "golden", "now", "deviation", "tolerance", "status")
        for row in comparison.rows where !onlyFailures || row.status.isFailure {
            let (golden, now) = exactPair(row)
            table.add(row.metric, golden, now, formatted(row.deviation), row.tolerance, row.status.rawValue)
        }
        return table.rendered()
    }

    /// The golden and current values as text: compact, unless the metric is compared exactly or
    /// the compact forms would hide the difference; then in full (shortest round-trip form).
    static func exactPair(_ row: GoldenComparison.Row) -> (String, String) {
        let compact = (formatted(row.golden), formatted(row.now))
        let differs = row.golden.map(\.bitPattern) != row.now.map(\.bitPattern)
        guard row.tolerance == "exact" || (differs && compact.0 == compact.1) else { return compact }
        func full(_ value: Double?) -> String {
            guard let value else { return "—" }
            // Integers (counts, checksums below 2^53) without a trailing ".0"; everything else round-trip.
            return value == value.rounded() && abs(value) < 0x1p53 ? String(Int64(value)) : "\(value)"
        }
        return (full(row.golden), full(row.now))
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
