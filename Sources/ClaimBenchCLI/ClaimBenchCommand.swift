import ArgumentParser
import Foundation
import HarnessCore

/// `claimbench`: the root command.
public struct ClaimBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "claimbench",
        abstract: "Reproduce ML papers' core claims as seeded, golden-checked benchmark runs.",
        discussion: """
            Each suite in suites/<id>.toml declares one paper's claims as falsifiable predicates.
            A run writes results/runs/<run-id>/run.json and the CSV behind every figure; `check`
            compares it with the committed golden values in results/golden/<id>/<preset>.json.

            Typical use:
              claimbench list                         what suites exist
              claimbench show sinkhorn                a suite's paper, presets, claims, tolerances
              claimbench run sinkhorn --preset smoke  run it and print the verdicts
              claimbench check --preset smoke         run every suite and compare with the goldens (CI)
              claimbench plot --from latest           redraw figures from stored CSV, no rerun
              claimbench perf                         kernel timings as ratios to this machine's limits

            Exit status: 0 everything held; 1 an error stopped a run; 2 a golden deviated or a claim
            was not reproduced; 3 a golden file is missing; 64 usage error.
            """,
        subcommands: [
            ListCommand.self, ShowCommand.self, RunCommand.self, CheckCommand.self, GoldenCommand.self,
            PlotCommand.self, ReportCommand.self, PerfCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits with ClaimBench's status codes.
    public static func runMain() -> Never {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // Bad flags, unknown subcommands, --help: argument-parser prints and exits (64 for usage).
            exit(withError: error)
        }
        let (status, message) = execute(command)
        if let message { printError("error: \(message)") }
        Foundation.exit(status)
    }

    /// Runs a parsed command; returns the exit status and the error line to print, if any.
    static func execute(_ command: any ParsableCommand) -> (Int32, String?) {
        var command = command
        do {
            try command.run()
            return (ExitStatus.success.rawValue, nil)
        } catch let error as ExitCode {
            return (error.rawValue, nil)
        } catch let error as CLIError {
            return (error.status.rawValue, error.message)
        } catch {
            // Every other error is ClaimBench's own and describes itself (file, key, what to do).
            return (ExitStatus.runFailed.rawValue, "\(error)")
        }
    }
}
