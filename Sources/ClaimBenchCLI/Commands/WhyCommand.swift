import ArgumentParser
import Foundation
import HarnessCore
import LinearAlgebra

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Say, unit by unit, whether a run would come from the result cache and, if not, what changed.",
        discussion: """
            Runs nothing. For every work unit of the suite at the preset, computes the cache key \
            the same `run` would (declaration file, preset, parameters with --set applied, seed, \
            unit, the code fingerprint of the experiment's module and of every module it imports, \
            the compute-relevant platform: ISA, OpenBLAS core and threads, kernel paths, C \
            library) and prints one line: "cached", "never run", or what differs from the \
            closest cached result, e.g. "parameter `queries` 32 → 64", "seed 1 → 2", \
            "suites/kde.toml changed", "source of KernelDensityExperiment changed", "OpenBLAS core: \
            Zen → Haswell". Pass the --threads and --blas-core the run would use: both are \
            part of the key. Entries live in results/cache/<suite>/.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: PresetOption

    @Option(parsing: .unconditional, help: "The seed the run would use (default: the suite's declared seed).")
    var seed: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp("A preset key the run would replace, as for `run`; repeatable.", valueName: "key=value"))
    var overrides: [String] = []

    @Argument(help: "Suites to explain (default: all).")
    var suites: [String] = []

    func validate() throws {
        if let seed, seed < 0 { throw ValidationError("--seed must be ≥ 0, got \(seed)") }
    }

    func run() throws {
        let workspace = try common.workspace()
        let lines = try Self.explain(
            workspace: workspace, suites: try workspace.select(suites), preset: preset.name, seed: seed.map(UInt64.init),
            overrides: overrides, threads: common.threads)
        for line in lines { print(line) }
    }

    /// The report's lines: per suite a header with the count of cached units, then one line per unit.
    static func explain(
        workspace: Workspace, suites: [SuiteDeclaration], preset: PresetName, seed: UInt64?, overrides: [String], threads: Int
    ) throws -> [String] {
        let parsed = try overrides.map { try PresetOverride.parse($0, suites: workspace.declarations.map(\.id)) }
        // The same BLAS threads and fingerprint as a run with these options.
        BLASRuntime.setThreads(threads)
        let platform = PlatformFingerprint.current(threads: threads).computeRelevant
        let plans = try suites.map { declaration in
            try SuitePlanner.plan(
                declaration, preset: preset, experiment: try workspace.experiment(for: declaration), overrides: parsed, memoryBudget: .infinity)
        }
        for override in parsed where !plans.contains(where: { $0.overrides[override.key] != nil }) {
            throw CLIError("--set \(override.argument): no selected suite has a preset key `\(override.key)`", status: .usage)
        }
        var lines: [String] = []
        var total = 0, cached = 0
        for plan in plans {
            let declaration = plan.declaration
            let experiment = try workspace.experiment(for: declaration)
            let runSeed = seed ?? declaration.seed
            let units = plan.prepared.units
            total += units.count
            let header = "\(declaration.id) (\(plan.preset), seed \(runSeed))"
            guard let code = workspace.codeFingerprints.fingerprint(of: experiment) else {
                lines.append("\(header): cache off (no code fingerprint for module \(experiment.module)): all \(units.count) units would run")
                continue
            }
            let keys = try UnitKeys(plan: plan, seed: runSeed, code: code, platform: platform, workspace: workspace)
            let statuses = units.map { workspace.cache.status(of: keys.key($0.id)) }
            let hits = statuses.filter(\.isCached).count
            cached += hits
            lines.append("\(header): \(hits) of \(units.count) units cached, \(units.count - hits) would run")
            let width = units.map(\.id.rawValue.count).max() ?? 0
            for (unit, status) in zip(units, statuses) {
                lines.append("  \(unit.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(status.line)")
            }
        }
        if suites.count > 1 { lines.append("all: \(cached) of \(total) units cached, \(total - cached) would run") }
        return lines
    }
}
