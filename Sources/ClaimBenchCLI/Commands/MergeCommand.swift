import ArgumentParser
import Foundation
import HarnessCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partial runs of `run --shard i/n` into one run and judge its claims, as `run` does.",
        discussion: """
            Takes the shard run directories (from this machine, other machines or a Slurm job \
            array; copy them anywhere) and refuses, naming the problem, unless they are shards of \
            one run: the same suite, preset, seed, --set overrides and resolved parameters, the \
            same git commit and dirty state, the preset's parameters as this checkout declares \
            them, and together every work unit of the plan exactly once (a missing unit, a unit in \
            two shards, or one the plan does not have is named with the shards that hold it).

            Platforms: shards whose fingerprints differ in a compute-relevant part (ISA features, \
            BLAS library, version, core or threads, worker threads, kernel paths, C library) are \
            refused, since their units' bits could differ; --allow-mixed-platforms merges them \
            anyway and lists the differences in the merged run's notes. Other differences (CPU \
            model, cores, Swift compiler, build configuration, a modified checkout) are printed \
            as warnings.

            The merged run is assembled from the stored unit results, so its metrics are bit for \
            bit those of an unsharded run on the same platform. It is written as \
            <run-id>-merged under results/runs (or --out); its notes list the shards merged; \
            its claims are judged and printed, and the exit status is `run`'s: 2 when a claim \
            is not reproduced. Judge it against the goldens with `claimbench check <suite> \
            --from <merged-run-dir>`.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Directory to create the merged run directory in (default results/runs).", valueName: "dir"))
    var out: String?

    @Flag(help: "Merge shards whose compute-relevant platform fingerprints differ (listed in the merged run's notes).")
    var allowMixedPlatforms = false

    @Argument(help: ArgumentHelp("The shards' run directories, one per shard.", valueName: "run-dir"))
    var runDirectories: [String] = []

    func validate() throws {
        if runDirectories.isEmpty {
            throw ValidationError("name the shards' run directories, e.g. `claimbench merge results/runs/*-kde-smoke-shard-*`")
        }
    }

    func run() throws { try run(in: try common.workspace()) }

    /// The command on `workspace` (tests pass one with their own experiments).
    func run(in workspace: Workspace) throws {
        let directories = runDirectories.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let parts = try directories.map { ShardMerge.Part(label: workspace.displayPath($0), record: try workspace.store.loadRecord(in: $0)) }
        let first = parts[0].record
        let declaration = try workspace.select([first.suite.rawValue])[0]
        // Nothing runs here, so no memory budget applies.
        let execution = SuiteExecution(workspace: workspace, threads: common.threads, memoryBudget: .infinity)
        let options = SuiteExecution.Options(
            seed: first.seed, overrides: first.overrides.keys.sorted().map { "\(first.suite).\($0)=\(first.overrides[$0]!)" },
            output: out.map { URL(fileURLWithPath: $0) })
        let planned = try execution.plan([declaration], preset: first.preset, options: options)[0]
        let checked: ShardMerge.Checked
        do {
            checked = try ShardMerge.check(parts, units: planned.plan.prepared.units, allowMixedPlatforms: allowMixedPlatforms)
        } catch let refusal as ShardMerge.Refusal {
            throw CLIError("\(refusal)")
        }
        let stale = GoldenComparison.changes(from: first.parameters, to: planned.plan.prepared.parameters)
        guard stale.isEmpty else {
            throw CLIError("cannot merge: the shards ran other \(first.preset) parameters than \(declaration.file) declares now ("
                + stale.joined(separator: "; ") + "); rerun the shards from this checkout")
        }
        for warning in checked.warnings { print("  warning: \(warning)") }
        for line in checked.mixedPlatform { print("  mixed platforms (allowed): \(line)") }

        var results: [WorkUnitID: Data] = [:]
        for (part, directory) in zip(parts, directories) {
            let read = try UnitResultFiles.read(part.record.shard!.units, in: directory, display: workspace.displayPath)
            results.merge(read) { kept, _ in kept }
        }
        var provenance = first.provenance
        provenance.wallSeconds = parts.map(\.record.provenance.wallSeconds).reduce(0, +)
        provenance.startTime = parts.map(\.record.provenance.startTime).min() ?? provenance.startTime
        // The merged run's cache use is the shards' together (each shard read the cache it saw).
        let uses = parts.compactMap(\.record.provenance.unitCache)
        provenance.unitCache = uses.count == parts.count && !uses.isEmpty
            ? UnitCacheUse(mode: uses[0].mode, units: uses.map(\.units).reduce(0, +), fromCache: uses.map(\.fromCache).reduce(0, +),
                           note: "summed over \(parts.count) shard\(parts.count == 1 ? "" : "s")")
            : nil
        let context = RunContext(seed: first.seed, threads: max(1, first.provenance.fingerprint?.workerThreads ?? common.threads))
        var outcome = try SuiteRunner.assemble(planned.plan, results: results, context: context, provenance: provenance)
        outcome.record.notes["merged_from"] = parts.map { part in
            let held = part.record.shard!.units.count
            return "shard \(part.record.shard!.label) (\(held) unit\(held == 1 ? "" : "s")): \(part.label)"
        }.joined(separator: "; ")
        if !checked.mixedPlatform.isEmpty {
            outcome.record.notes["merged_mixed_platforms"] = checked.mixedPlatform.joined(separator: "; ")
        }
        print("▶ \(declaration.id) (\(first.preset), seed \(first.seed)): merging \(parts.count) shard\(parts.count == 1 ? "" : "s"),"
            + " \(results.count) work units")
        let result = try execution.store(
            outcome, planned: planned, output: options.output, tag: "merged",
            summary: "merged (the shards computed for \(ProgressDisplay.duration(provenance.wallSeconds)) in all)")
        print("  judge it against the golden: claimbench check \(declaration.id) --preset \(first.preset) --from \(workspace.displayPath(result.directory))")
        if result.record.claimStatus != .success { throw ExitCode(result.record.claimStatus.rawValue) }
    }
}
