import ArgumentParser
import Foundation
import HarnessCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites and print their claims' verdicts.",
        discussion: """
            Plans every selected suite first (parameters, overrides, metric names, claims, \
            memory, output folder) and stops with a one-line error before any work if the plan is \
            bad. Writes results/runs/<timestamp>-<suite>-<preset>/run.json and the figure CSVs (or \
            under --out). A run with --seed or --set is recorded as such and is never canonical: \
            no golden is recorded from it and `latest` passes it over. Use `check` to compare \
            against goldens.

            Past one machine: `--shard i/n` runs only the i-th of n shards of one suite's work \
            units (cost-balanced by default, or --shard-strategy round-robin) and writes a partial \
            run directory (<run-id>-shard-IofN: run.json with a `shard` section, and each unit's \
            result under units/). Nothing is judged on a partial run: run all n shards, anywhere, \
            with the same checkout, preset, seed and --set, then `claimbench merge <run-dir>…`; \
            `claimbench slurm` writes the job scripts that do this on a Slurm cluster.

            Work units whose result is in results/cache under the same key (declaration file, \
            preset, parameters, seed, unit, the code of the experiment and of every module it \
            imports, the compute-relevant platform) are not rerun; the run prints "N of M units \
            from the cache" and records it in run.json. `claimbench why` explains a rerun; \
            --no-cache forces one.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: PresetOption
    @OptionGroup var budget: BudgetOption
    @OptionGroup var cache: CacheOption

    @Option(parsing: .unconditional, help: "Override the suite's declared seed (≥ 0).")
    var seed: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Replace a preset key before decoding, e.g. --set replicates=8 or --set kde.n=[300]; repeatable; recorded in run.json.",
        valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Directory to create run directories in (default results/runs).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp(
        "Run only shard i of n of one suite's work units and write a partial run for `claimbench merge`, e.g. --shard 2/4.",
        valueName: "i/n"))
    var shard: String?

    @Option(help: ArgumentHelp(
        "How --shard deals units: cost-balanced (longest first, to the lightest shard; default) or round-robin.",
        valueName: "strategy"))
    var shardStrategy: String?

    @Argument(help: "Suites to run (default: all; exactly one with --shard).")
    var suites: [String] = []

    func validate() throws {
        if let seed, seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    /// `--shard` and `--shard-strategy` as a spec; `nil` without --shard.
    func shardSpec() throws -> ShardSpec? {
        var strategy = ShardSpec.Strategy.costBalanced
        if let shardStrategy {
            guard let chosen = ShardSpec.Strategy(rawValue: shardStrategy) else {
                throw CLIError("--shard-strategy \(shardStrategy): expected "
                    + ShardSpec.Strategy.allCases.map(\.rawValue).joined(separator: " or "), status: .usage)
            }
            strategy = chosen
        }
        guard let shard else {
            if shardStrategy != nil { throw CLIError("--shard-strategy needs --shard i/n", status: .usage) }
            return nil
        }
        guard suites.count == 1 else {
            throw CLIError("--shard \(shard) runs a shard of one suite; name exactly one (got "
                + (suites.isEmpty ? "none: all suites" : suites.joined(separator: ", ")) + ")", status: .usage)
        }
        return try ShardSpec.parse(shard, strategy: strategy)
    }

    func run() throws { try run(in: try common.workspace()) }

    /// The command on `workspace` (tests pass one with their own experiments).
    func run(in workspace: Workspace) throws {
        let execution = SuiteExecution(workspace: workspace, threads: common.threads, memoryBudget: budget.bytes)
        let options = SuiteExecution.Options(
            seed: seed.map(UInt64.init), overrides: overrides, output: out.map { URL(fileURLWithPath: $0) }, cache: cache.mode)
        let shard = try shardSpec()
        let planned = try execution.plan(try workspace.select(suites), preset: preset.name, options: options)
        if let shard {
            _ = try execution.runShard(planned[0], shard: shard, options: options)
            return
        }
        var status = ExitStatus.success
        for item in planned {
            let result = try execution.run(item, options: options)
            status = max(status, result.record.claimStatus)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
