import ArgumentParser
import Foundation
import HarnessCore

/// `claimbench`: the root command.
public struct ClaimBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "claimbench",
        abstract: "Reproduce ML papers' core claims as seeded, golden-checked benchmark runs.",
        discussion: """
            Each suite in suites/<id>.toml declares one paper's claims as
            falsifiable predicates. A run writes results/runs/<run-id>/run.json
            and the CSV behind every figure; `check` compares it with the
            committed goldens in results/golden/<id>/<preset>.json.

            Typical use:
              claimbench list                  what suites exist
              claimbench show sinkhorn         paper, presets, claims
              claimbench run sinkhorn          run it, print the verdicts
              claimbench check --preset smoke  compare with goldens (CI)
              claimbench why kde --preset smoke  which units a run would reuse
                                               from results/cache, and why not
              claimbench plot --from latest    redraw figures, no rerun
              claimbench perf                  timings as ratios to limits
              claimbench platform              CPU, BLAS core, fingerprint

            Past one machine (README, "Past one machine"):
              claimbench run kde --preset default --shard 1/4   one shard's
                                               units → a partial run dir
              claimbench merge <shard-run-dir>…   all shards → one run,
                                               claims judged as by run
              claimbench check kde --from <run-dir>   judge a stored run
                                               against the golden
              claimbench slurm kde --preset default --shards 4 --submit
                                               the same as a Slurm job array

            Every command takes --blas-core <core> (also before the command
            name) to run another OpenBLAS core; see `claimbench platform`.

            Global options (--root, --threads) may come before or after
            the subcommand: `claimbench --root ../repo list`.

            Exit status: 0 everything held; 1 an error stopped a run (a bad
            declaration, a plan over the memory budget, an unreadable golden
            or an I/O failure; planning errors come before any work);
            2 a golden deviated or a claim was not reproduced;
            3 a golden file is missing (check stops before running);
            64 usage error (bad option, unknown suite or preset, bad --set).
            """,
        subcommands: [
            ListCommand.self, ShowCommand.self, RunCommand.self, CheckCommand.self, GoldenCommand.self,
            MergeCommand.self, SlurmCommand.self, PlotCommand.self, ReportCommand.self, PerfCommand.self, PlatformCommand.self, WhyCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line (`arguments` without the program name; default: the process's)
    /// and exits with ClaimBench's status codes.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(hoistingGlobalOptions(arguments ?? Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            // Bad flags, unknown subcommands, --help: argument-parser prints and exits (64 for usage).
            if isArgumentParserError(error) { exit(withError: error) }
            let (status, message) = outcome(of: error)
            if let message { printError("error: \(message)") }
            Foundation.exit(status)
        }
        Foundation.exit(ExitStatus.success.rawValue)
    }

    /// Parses and runs `arguments` in-process; returns the exit status and the message
    /// `runMain` would print. For tests.
    static func execute(_ arguments: [String]) -> (Int32, String?) {
        do {
            var command = try parseAsRoot(hoistingGlobalOptions(arguments))
            try command.run()
            return (ExitStatus.success.rawValue, nil)
        } catch {
            if isArgumentParserError(error) { return (exitCode(for: error).rawValue, fullMessage(for: error)) }
            return outcome(of: error)
        }
    }

    /// The exit status and message for an error thrown while running a command.
    static func outcome(of error: any Error) -> (Int32, String?) {
        switch error {
        case let exit as ExitCode: (exit.rawValue, nil)
        case let failure as CLIError: (failure.status.rawValue, failure.message)
        case let refusal as PlanRefusal: (refusal.status.rawValue, refusal.message)
        // Every other error is ClaimBench's own and describes itself (file, key, what to do).
        default: (ExitStatus.runFailed.rawValue, "\(error)")
        }
    }

    /// Moves global options written before the subcommand (`--root X list`) to just after it,
    /// where every subcommand's `CommonOptions` reads them.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = [], index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if CommonOptions.globalOptionNames.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if CommonOptions.globalOptionNames.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count, !arguments[index].hasPrefix("-") else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }

    private static func isArgumentParserError(_ error: any Error) -> Bool {
        error is ValidationError || error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
