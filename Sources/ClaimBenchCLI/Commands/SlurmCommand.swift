import ArgumentParser
import Foundation
import HarnessCore

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (and with --submit, submit) Slurm jobs that run a suite's shards as a job array, then merge and check them.",
        discussion: """
            Plans the suite here first (a bad preset or --set fails now, not on the cluster), \
            then writes a job folder (default results/slurm/<timestamp>-<suite>-<preset>, or \
            --out; it must be on a file system every node sees, like the repository):

            shards.sbatch: a job array, --array=1-n; task i runs `claimbench run <suite> \
            --shard i/n` with --threads and OPENBLAS_NUM_THREADS set to --cpus-per-task, and \
            writes its partial run under shards/<i>/.

            merge.sbatch: `claimbench merge` of the n shards into merged/, then `claimbench \
            check <suite> --from` the merged run when the preset has a golden.

            submit.sh: sbatch --parsable of the array, then of the merge job with \
            --dependency=afterok:<array job id>; prints `array job: <id>` and `merge job: <id>`.

            Logs go to logs/. The scripts call this claimbench executable and the repository by \
            their absolute paths, so both must be visible on the nodes. With --submit, \
            submit.sh runs now (sbatch must be on PATH); without it, the command prints how to \
            submit. The merge job does not run when a shard failed (afterok), and fails when \
            merge refuses or check finds a deviation.
            """)

    @OptionGroup var common: CommonOptions
    @OptionGroup var preset: PresetOption

    @Option(help: ArgumentHelp("Number of shards: array tasks, one shard each.", valueName: "n"))
    var shards: Int

    @Option(help: ArgumentHelp("How units are dealt to shards: cost-balanced (default) or round-robin.", valueName: "strategy"))
    var shardStrategy = ShardSpec.Strategy.costBalanced.rawValue

    @Option(help: ArgumentHelp("CPUs per array task; also the shards' --threads and OPENBLAS_NUM_THREADS.", valueName: "c"))
    var cpusPerTask = 1

    @Option(help: ArgumentHelp("Slurm partition (default: the cluster's default partition).", valueName: "name"))
    var partition: String?

    @Option(help: ArgumentHelp("Time limit per job, in Slurm's format (e.g. 30, 2:00:00, 1-00:00:00).", valueName: "limit"))
    var time: String?

    @Flag(help: "Shards recompute every work unit instead of reading the result cache (run --no-cache).")
    var noCache = false

    @Flag(help: "Submit the jobs now with sbatch and print their ids.")
    var submit = false

    @Option(help: ArgumentHelp("Job folder to write (default results/slurm/<timestamp>-<suite>-<preset>).", valueName: "dir"))
    var out: String?

    @Argument(help: "The suite to run.")
    var suite: String

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards must be ≥ 1, got \(shards)") }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be ≥ 1, got \(cpusPerTask)") }
        guard ShardSpec.Strategy(rawValue: shardStrategy) != nil else {
            throw ValidationError("--shard-strategy must be " + ShardSpec.Strategy.allCases.map(\.rawValue).joined(separator: " or "))
        }
        if let partition, partition.isEmpty || !partition.allSatisfy({ $0.isLetter || $0.isNumber || "_-.,".contains($0) }) {
            throw ValidationError("--partition \(partition): a partition name (letters, digits, _ - . and , between names)")
        }
        if let time, time.isEmpty || !time.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":" || $0 == "-") }) {
            throw ValidationError("--time \(time): Slurm's format, e.g. 30 (minutes), 2:00:00 or 1-00:00:00")
        }
    }

    func run() throws {
        let workspace = try common.workspace()
        let declaration = try workspace.select([suite])[0]
        // The nodes' memory is not this machine's: planning checks everything but the budget.
        let planned = try SuiteExecution(workspace: workspace, threads: 1, memoryBudget: .infinity)
            .plan([declaration], preset: preset.name)[0]
        let units = planned.plan.prepared.units.count
        if shards > units {
            print("  note: \(declaration.id) has \(units) work unit\(units == 1 ? "" : "s") at \(preset.name);"
                + " \(shards - units) of the \(shards) shards will hold none (they still run and are merged)")
        }
        let folder = try out.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? defaultFolder(workspace, suite: declaration.id)
        let job = SlurmJob(
            suite: declaration.id, preset: preset.name, shards: shards, strategy: ShardSpec.Strategy(rawValue: shardStrategy)!,
            cpusPerTask: cpusPerTask, noCache: noCache, partition: partition, time: time, executable: Self.executablePath(),
            root: workspace.root.path, folder: folder.path)
        try FileManager.default.createDirectory(atPath: job.logsPath, withIntermediateDirectories: true)
        try AtomicFile.write(job.shardsScript, to: URL(fileURLWithPath: job.shardsPath))
        try AtomicFile.write(job.mergeScript, to: URL(fileURLWithPath: job.mergePath))
        try AtomicFile.write(job.submitScript, to: URL(fileURLWithPath: job.submitPath))
        print("wrote \(workspace.displayPath(folder)): shards.sbatch (\(shards) array tasks × \(cpusPerTask) CPU), merge.sbatch, submit.sh")
        guard submit else {
            print("submit with:  bash \(SlurmJob.quoted(job.submitPath))")
            print("  (sbatch --parsable the array, then the merge job with --dependency=afterok:<array job id>)")
            print("merged run:   \(workspace.displayPath(folder))/merged/<run-id>; logs in \(workspace.displayPath(folder))/logs/")
            return
        }
        fflush(nil)  // our lines first, then sbatch's
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [job.submitPath]
        do { try process.run() } catch { throw CLIError("cannot run \(job.submitPath): \(error.localizedDescription)") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError("submitting failed (sbatch exit \(process.terminationStatus), see above); the scripts are in \(workspace.displayPath(folder))")
        }
        print("watch with:   squeue --me; the merged run will be in \(workspace.displayPath(folder))/merged/")
    }

    func defaultFolder(_ workspace: Workspace, suite: SuiteID) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return workspace.root.appendingPathComponent("results/slurm/\(formatter.string(from: Date()))-\(suite)-\(preset.name)")
    }

    /// The absolute path of the running claimbench executable.
    static func executablePath() -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}
