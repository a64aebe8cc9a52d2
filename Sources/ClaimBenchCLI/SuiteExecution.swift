import Foundation
import HarnessCore
import LinearAlgebra

/// Plans and runs suites for `run`, `check` and `golden` (docs/ARCHITECTURE.md, "Plan"): every
/// selected suite is planned, its goldens loaded and its output folder probed before the first
/// one runs; a run's record and tables are stored before its claims are judged.
struct SuiteExecution {
    let workspace: Workspace
    let threads: Int
    /// Bytes a plan's estimated peak memory may reach.
    var memoryBudget: Double = Double(ProcessInfo.processInfo.physicalMemory) / 2

    struct Options {
        var seed: UInt64? = nil
        /// `--set key=value` arguments, as written.
        var overrides: [String] = []
        /// Parent directory for run directories (default results/runs).
        var output: URL? = nil
        /// How units use the result cache; `nil` neither reads nor writes it.
        var cache: UnitCacheSession.Mode? = .readWrite
    }

    /// Which goldens a command needs before it starts.
    enum Goldens {
        case none
        /// `check`: every selected suite's golden must exist and read back.
        case required
        /// `golden`: the golden folder must be writable; an existing golden is read if it can be.
        case replaced
    }

    struct Planned {
        var plan: SuitePlan
        var golden: GoldenFile?
    }

    struct Result {
        var directory: URL
        var record: RunRecord
    }

    /// Plans every selected suite; throws a one-line error before anything runs.
    func plan(_ suites: [SuiteDeclaration], preset: PresetName, options: Options = Options(), goldens: Goldens = .none) throws -> [Planned] {
        let overrides = try options.overrides.map { try PresetOverride.parse($0, suites: workspace.declarations.map(\.id)) }
        let plans = try suites.map { declaration in
            try SuitePlanner.plan(
                declaration, preset: preset, experiment: try workspace.experiment(for: declaration), overrides: overrides,
                memoryBudget: memoryBudget)
        }
        for override in overrides where !plans.contains(where: { $0.overrides[override.key] != nil }) {
            throw CLIError(
                "--set \(override.argument): no selected suite (\(suites.map(\.id.rawValue).joined(separator: ", "))) has a preset key"
                    + " `\(override.key)` (their keys are those of [presets.\(preset)] in "
                    + suites.map(\.file).joined(separator: ", ") + ")", status: .usage)
        }
        do {
            try workspace.store.probeWritable(options.output ?? workspace.store.runsDirectory)
        } catch {
            throw CLIError(options.output == nil ? "\(error)" : "--out: \(error)", status: options.output == nil ? .runFailed : .usage)
        }
        var planned = plans.map { Planned(plan: $0, golden: nil) }
        switch goldens {
        case .none: break
        case .required:
            var missing: [GoldenFileError] = []
            for index in planned.indices {
                do {
                    planned[index].golden = try workspace.store.loadGolden(planned[index].plan.declaration.id, preset)
                } catch let error as GoldenFileError {
                    guard case .missing = error else { throw error }
                    missing.append(error)
                }
            }
            if let first = missing.first {
                throw CLIError("\(first)" + (missing.count > 1 ? " (and \(missing.count - 1) more missing golden file(s))" : ""),
                               status: .goldenMissing)
            }
        case .replaced:
            for index in planned.indices {
                let suite = planned[index].plan.declaration.id
                try workspace.store.probeWritable(workspace.store.goldenURL(suite, preset).deletingLastPathComponent())
                guard FileManager.default.fileExists(atPath: workspace.store.goldenURL(suite, preset).path) else { continue }
                do {
                    planned[index].golden = try workspace.store.loadGolden(suite, preset)
                } catch {
                    printError("  warning: \(error); it will be replaced")
                }
            }
        }
        for item in planned { print(Self.describe(item.plan, budget: memoryBudget)) }
        return planned
    }

    /// `plan: kde (smoke): 465 metrics, 2 tables, 12 work units; 6 claims match 30 metrics; peak ≈ 70 MiB of 12 GiB`.
    static func describe(_ plan: SuitePlan, budget: Double) -> String {
        let prepared = plan.prepared
        var line = "plan: \(plan.declaration.id) (\(plan.preset)): \(prepared.planned.metrics.count) metrics,"
            + " \(prepared.planned.tables.count) tables, \(prepared.units.count) work unit\(prepared.units.count == 1 ? "" : "s");"
            + " \(plan.claimMatches.count) claims match \(plan.claimMatches.reduce(0, +)) metrics;"
            + " peak ≈ \(ByteCount.describe(prepared.memory.bytes))"
            + (budget.isFinite ? " of \(ByteCount.describe(budget))" : " (no budget: nothing is computed here)")
        if !plan.overrides.isEmpty {
            line += "; overrides " + plan.overrides.keys.sorted().map { "\($0)=\(plan.overrides[$0]!)" }.joined(separator: ", ")
        }
        return line
    }

    /// Runs one planned suite: stores its record and tables, then judges its claims and stores them too.
    func run(_ planned: Planned, options: Options = Options()) throws -> Result {
        let plan = planned.plan
        let declaration = plan.declaration
        BLASRuntime.setThreads(threads)
        let seed = options.seed ?? declaration.seed
        print("▶ \(declaration.id) (\(plan.preset), seed \(seed), \(threadsLabel)): \(declaration.title)")
        let provenance = collectProvenance()
        let context = RunContext(seed: seed, threads: threads, progress: ProgressDisplay.reporter(label: declaration.id.rawValue))
        let experiment = try workspace.experiment(for: declaration)
        let code = workspace.codeFingerprints.fingerprint(of: experiment)
        let cache = try cacheSession(plan, seed: seed, code: code, platform: provenance.fingerprint, mode: options.cache)
        let start = Stopwatch.now()
        let results = try UnitExecution(plan: plan, context: context, cache: cache).run(plan.prepared.units)
        var timed = provenance
        timed.wallSeconds = Stopwatch.now() - start
        timed.codeFingerprint = code
        timed.unitCache = cache?.use ?? UnitCacheUse(
            mode: .off, units: plan.prepared.units.count, fromCache: 0,
            note: options.cache == nil ? "not asked for" : "no code fingerprint for module \(experiment.module)")
        print("  \(timed.unitCache!.summary)")
        let outcome = try SuiteRunner.assemble(plan, results: results, context: context, provenance: timed)
        return try store(outcome, planned: planned, output: options.output, summary: "ran in \(ProgressDisplay.duration(timed.wallSeconds))")
    }

    /// Runs one shard of a planned suite (`run --shard i/n`) and writes a partial run directory:
    /// each unit's encoded result under `units/`, then run.json with its `shard` section. Nothing
    /// is assembled or judged; `claimbench merge` does that once every shard is there.
    func runShard(_ planned: Planned, shard: ShardSpec, options: Options = Options()) throws -> Result {
        let plan = planned.plan
        let declaration = plan.declaration
        BLASRuntime.setThreads(threads)
        let seed = options.seed ?? declaration.seed
        let units = shard.select(plan.prepared.units)
        print("▶ \(declaration.id) (\(plan.preset), seed \(seed), \(threadsLabel)): shard \(shard) (\(shard.strategy.rawValue)),"
            + " \(units.count) of \(plan.prepared.units.count) work units")
        let provenance = collectProvenance()
        let context = RunContext(seed: seed, threads: threads, progress: ProgressDisplay.reporter(label: "\(declaration.id) \(shard)"))
        let experiment = try workspace.experiment(for: declaration)
        let code = workspace.codeFingerprints.fingerprint(of: experiment)
        let cache = try cacheSession(plan, seed: seed, code: code, platform: provenance.fingerprint, mode: options.cache)
        let start = Stopwatch.now()
        let results = try UnitExecution(plan: plan, context: context, cache: cache).run(units)
        var timed = provenance
        timed.wallSeconds = Stopwatch.now() - start
        timed.codeFingerprint = code
        timed.unitCache = cache?.use ?? UnitCacheUse(
            mode: .off, units: units.count, fromCache: 0,
            note: options.cache == nil ? "not asked for" : "no code fingerprint for module \(experiment.module)")
        print("  \(timed.unitCache!.summary)")
        var record = RunRecord(
            suite: declaration.id, preset: plan.preset, experiment: declaration.experiment, seed: seed,
            parameters: plan.prepared.parameters, provenance: timed, metrics: [:], claims: [], tables: [], notes: [:])
        record.overrides = plan.overrides
        record.shard = ShardRecord(shard, units: units.map(\.id), totalUnits: plan.prepared.units.count)
        let directory = try workspace.store.newRunDirectory(
            suite: declaration.id, preset: plan.preset, tag: "shard-\(shard.index)of\(shard.count)", under: options.output)
        // Unit files first, run.json last: a shard directory with a run.json is complete.
        try UnitResultFiles.write(results, in: directory)
        try workspace.store.write(record, tables: [:], to: directory)
        print("  ran \(units.count) work unit\(units.count == 1 ? "" : "s") in \(ProgressDisplay.duration(timed.wallSeconds))"
            + " → \(workspace.displayPath(directory)) (partial: merge all \(shard.count) shards with `claimbench merge <run-dir>…`)")
        return Result(directory: directory, record: record)
    }

    /// Stores an assembled run (from `run` or `merge`), judges its claims, stores them and prints them.
    func store(_ outcome: SuiteRunner.Outcome, planned: Planned, output: URL?, tag: String? = nil, summary: String) throws -> Result {
        let plan = planned.plan
        let declaration = plan.declaration
        let directory = try workspace.store.newRunDirectory(suite: declaration.id, preset: plan.preset, tag: tag, under: output)
        var record = outcome.record
        record.notes[Self.pendingNote] = "the run stopped before its claims were judged"
        try workspace.store.write(record, tables: outcome.tables, to: directory)
        print("  \(summary) → \(workspace.displayPath(directory))")
        record.notes[Self.pendingNote] = nil
        do {
            try SuiteRunner.judge(&record, plan: plan)
        } catch {
            throw CLIError("\(error) (the run's data is stored in \(workspace.displayPath(directory)))")
        }
        try workspace.store.write(record, tables: [:], to: directory)
        // A golden for this preset knows which verdicts varied across BLAS cores and threads.
        let golden = planned.golden ?? (try? workspace.store.loadGolden(declaration.id, plan.preset))
        printClaims(record, fragile: golden?.fragile ?? [:])
        return Result(directory: directory, record: record)
    }

    private var threadsLabel: String { "\(threads) thread\(threads == 1 ? "" : "s")" }

    private func collectProvenance() -> Provenance {
        Provenance.collect(
            repositoryRoot: workspace.root, blasConfiguration: BLASRuntime.configuration, blasThreads: BLASRuntime.threads,
            fingerprint: .current(threads: threads))
    }

    /// The result cache for one run of `plan`; `nil` (cache off) without a mode, a code
    /// fingerprint or a platform fingerprint.
    func cacheSession(
        _ plan: SuitePlan, seed: UInt64, code: CodeFingerprint?, platform: PlatformFingerprint?, mode: UnitCacheSession.Mode?
    ) throws -> UnitCacheSession? {
        guard let mode, let code, let platform else { return nil }
        let keys = try UnitKeys(plan: plan, seed: seed, code: code, platform: platform.computeRelevant, workspace: workspace)
        return UnitCacheSession(cache: workspace.cache, keys: keys, mode: mode)
    }

    /// Set in run.json while the claims are not yet judged.
    static let pendingNote = "claims_not_judged"

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
