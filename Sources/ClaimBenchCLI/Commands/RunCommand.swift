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

    @Argument(help: "Suites to run (default: all).")
    var suites: [String] = []

    func validate() throws {
        if let seed, seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    func run() throws {
        let workspace = try common.workspace()
        let execution = SuiteExecution(workspace: workspace, threads: common.threads, memoryBudget: budget.bytes)
        let options = SuiteExecution.Options(
            seed: seed.map(UInt64.init), overrides: overrides, output: out.map { URL(fileURLWithPath: $0) }, cache: cache.mode)
        let planned = try execution.plan(try workspace.select(suites), preset: preset.name, options: options)
        var status = ExitStatus.success
        for item in planned {
            let result = try execution.run(item, options: options)
            status = max(status, result.record.claimStatus)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
