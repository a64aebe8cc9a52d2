import ArgumentParser
import Foundation
import HarnessCore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites and print their claims' verdicts.",
        discussion: """
            Writes results/runs/<timestamp>-<suite>-<preset>/run.json and the figure CSVs (or under --out). \
            A different --seed or --replicates gives a run that no golden file describes; use `check` \
            to compare against goldens.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: PresetOption

    @Option(help: "Override the suite's declared seed.")
    var seed: UInt64?

    @Option(help: "Override the number of replicates the preset declares.")
    var replicates: Int?

    @Option(help: ArgumentHelp("Directory to create run directories in (default results/runs).", valueName: "dir"))
    var out: String?

    @Argument(help: "Suites to run (default: all).")
    var suites: [String] = []

    func validate() throws {
        if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1, got \(replicates)") }
    }

    func run() throws {
        let workspace = try common.workspace()
        let execution = SuiteExecution(workspace: workspace, threads: common.threads)
        let prepared = try execution.prepare(try workspace.select(suites), preset: preset.name)
        var status = ExitStatus.success
        let options = SuiteExecution.Options(seed: seed, replicates: replicates, output: out.map { URL(fileURLWithPath: $0) })
        for (declaration, run) in prepared {
            let result = try execution.run(declaration, preset: preset.name, prepared: run, options: options)
            status = max(status, result.record.claimStatus)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
