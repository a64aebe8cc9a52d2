import ArgumentParser
import Foundation
import HarnessCore
import LinearAlgebra

struct PerfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Kernel benchmarks, each reported as a ratio measured in the same run.",
        discussion: """
            First measures this machine's limits (read bandwidth, dgemm peak) with the same thread \
            count, then runs each suite's benchmark from its [perf] table. Every timing is a median \
            with a ~95% confidence interval, reported against a baseline timed side by side or as a \
            fraction of a measured limit. Time release builds only (make perf).

            With --peers, each benchmark also exports the inputs it timed, and the peer scripts in \
            peers/ (POT, numpy, torch; `make peers` installs them) run on them right after it; \
            peers.csv in the run's directory holds our time and each peer's, their ratio (peer / \
            ours, above 1 means ours is faster) and the agreement of the outputs. A peer that \
            cannot run is reported as missing or crashed; it never changes the exit status.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Suites to benchmark (default: all that have a benchmark).")
    var suites: [String] = []

    @Flag(help: "Run the peer implementations in peers/ on the same inputs after each benchmark; write peers.csv.")
    var peers = false

    @Option(help: "Python for the peer scripts (default: .venv-peers/bin/python if present, else python3 on PATH).")
    var python: String?

    @Option(help: "Seconds each peer script may run before it is stopped and reported as crashed.")
    var peerTimeout: Double = 1800

    @Flag(help: "Keep the exported inputs and the peers' outputs (peers/inputs, peers/outputs: hundreds of MB).")
    var keepPeerFiles = false

    func validate() throws {
        if !(peerTimeout > 0) { throw ValidationError("--peer-timeout must be positive, got \(peerTimeout)") }
        if !peers && (python != nil || keepPeerFiles) { throw ValidationError("--python and --keep-peer-files need --peers") }
    }

    func run() throws {
        let workspace = try common.workspace()
        let selected = try workspace.select(suites).filter { (try? workspace.experiment(for: $0).hasBenchmark) == true }
        if Provenance.buildConfiguration != "release" {
            printError("warning: this is a debug build; timings are meaningless (use `make perf`, a release build)")
        }
        BLASRuntime.setThreads(common.threads)
        print("▶ machine limits (\(common.threads) thread\(common.threads == 1 ? "" : "s"))")
        let limits = MachineProbes.measureMachineLimits(threads: common.threads)
        print(String(format: "  read bandwidth %.2f GB/s, dgemm peak %.2f GFLOP/s", limits.memoryBandwidth / 1e9, limits.gemmPeak / 1e9))
        let nominal = NominalPeak.current(threads: common.threads)
        for line in Self.kernelReport(gemmRate: limits.gemmPeak, nominal: nominal) { print("  \(line)") }
        if let warning = Self.misdetectionWarning(gemmRate: limits.gemmPeak, nominal: nominal) { printError("warning: \(warning)") }
        for declaration in selected {
            guard let prepared = try workspace.experiment(for: declaration).prepareBenchmark(declaration.perfTable(), limits: limits) else { continue }
            BLASRuntime.setThreads(common.threads)
            print("▶ \(declaration.id) benchmark")
            let provenance = Provenance.collect(
                repositoryRoot: workspace.root, blasConfiguration: BLASRuntime.configuration, blasThreads: BLASRuntime.threads,
                fingerprint: .current(threads: common.threads))
            var context = RunContext(
                seed: declaration.seed, threads: common.threads, progress: ProgressDisplay.reporter(label: "\(declaration.id) perf"))
            let directory = try workspace.store.newRunDirectory(suite: declaration.id, preset: "perf")
            if peers { context.peerExport = PeerExport.writing(to: directory.appendingPathComponent("peers/inputs")) }
            let start = Stopwatch.now()
            let output: ExperimentOutput
            do {
                output = try prepared.run(context)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            var record = RunRecord(
                suite: declaration.id, preset: "perf", experiment: declaration.experiment, seed: declaration.seed,
                parameters: prepared.parameters, provenance: provenance, metrics: output.metrics, claims: [],
                tables: output.tables.keys.sorted(), notes: output.notes.merging(Self.notes(limits, nominal: nominal)) { a, _ in a })
            record.provenance.wallSeconds = Stopwatch.now() - start
            try workspace.store.write(record, tables: output.tables, to: directory)
            var table = TextTable("metric", "median", "~95% CI", "unit")
            for name in output.metrics.keys.sorted() {
                let metric = output.metrics[name]!
                let interval = metric.interval.map { "[\(formatted($0.lower)), \(formatted($0.upper))]" } ?? ""
                table.add(name.rawValue, formatted(metric.value), interval, metric.unit)
            }
            print(table.rendered())
            for line in KernelLimitReport.lines(suite: declaration.experiment, metrics: output.metrics) { print("  \(line)") }
            print("  wrote \(workspace.displayPath(directory))")
            if peers { try runPeers(in: directory, metrics: output.metrics, workspace: workspace) }
        }
    }

    /// Runs the peer scripts on what the benchmark exported to `directory/peers/inputs`, writes
    /// `peers.csv` and prints it; removes the inputs and outputs unless --keep-peer-files.
    private func runPeers(in directory: URL, metrics: [MetricName: Metric], workspace: Workspace) throws {
        let peerDirectory = directory.appendingPathComponent("peers")
        guard FileManager.default.fileExists(atPath: peerDirectory.appendingPathComponent("inputs").path) else {
            print("  no peers for this benchmark")
            return
        }
        let process = PeerProcess(
            python: Self.peerPython(option: python, root: workspace.root), scriptsDirectory: workspace.root.appendingPathComponent("peers"),
            threads: common.threads, timeoutSeconds: peerTimeout)
        print("▶ peers (\(process.python))")
        let rows = try PeerComparison.run(peerDirectory: peerDirectory, metrics: metrics, process: process) { print("  running \($0)") }
        try AtomicFile.write(PeerComparison.table(rows).rendered(), to: directory.appendingPathComponent("peers.csv"))
        print(PeerComparison.rendered(rows))
        print("  wrote \(workspace.displayPath(directory.appendingPathComponent("peers.csv")))")
        if !keepPeerFiles {
            for folder in ["inputs", "outputs"] { try? FileManager.default.removeItem(at: peerDirectory.appendingPathComponent(folder)) }
        }
    }

    /// --python, else the repository's `.venv-peers/bin/python` (`make peers`), else `python3` on PATH.
    static func peerPython(option: String?, root: URL) -> String {
        if let option { return option }
        let venv = root.appendingPathComponent(".venv-peers/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "python3"
    }

    static func notes(_ limits: MachineLimits, nominal: NominalPeak?) -> [String: String] {
        [
            "machine_read_bandwidth_bytes_per_s": "\(limits.memoryBandwidth)",
            "machine_gemm_peak_flops": "\(limits.gemmPeak)",
            "machine_limits_threads": "\(limits.threads)",
            "machine_gemm_blas_core": BLASRuntime.activeCoreName,
            "machine_nominal_fma_peak_flops": nominal.map { "\($0.flopsPerSecond)" } ?? "unknown",
        ]
    }

    /// A measured dgemm rate below this fraction of the nominal FMA peak suggests a misdetected
    /// (generic) BLAS core: a tuned core reaches well over half of it on one thread.
    static let misdetectionFraction = 0.25

    /// The dgemm rate of the core in use beside the CPU's nominal FMA peak (`NominalPeak`).
    static func kernelReport(gemmRate: Double, nominal: NominalPeak?) -> [String] {
        let blas = BLASRuntime.fingerprint()
        var lines = ["OpenBLAS core \(blas.core) (\(blas.coreChoice.rawValue)\(blas.requestedCore.map { ", requested \($0)" } ?? ""))"]
        if let nominal {
            lines.append(
                String(format: "nominal FMA peak %.2f GFLOP/s = ", nominal.flopsPerSecond / 1e9) + nominal.formula
                    + String(format: "; dgemm reaches %.0f%%", 100 * gemmRate / nominal.flopsPerSecond))
        } else {
            lines.append("nominal FMA peak unknown (microarchitecture or clock not in NominalPeak's table)")
        }
        return lines
    }

    /// The warning for a dgemm rate far below the nominal peak, or `nil`.
    static func misdetectionWarning(gemmRate: Double, nominal: NominalPeak?) -> String? {
        guard let nominal, gemmRate < misdetectionFraction * nominal.flopsPerSecond else { return nil }
        let active = BLASRuntime.activeCoreName
        let fraction = String(format: "dgemm reaches only %.0f%%", 100 * gemmRate / nominal.flopsPerSecond)
            + " of the nominal FMA peak with OpenBLAS core \(active)"
        guard let best = BLASCore.best(for: .current()), best.rawValue.lowercased() != active.lowercased() else {
            return fraction + ", the best core this CPU supports: the machine may be busy, throttled or oversubscribed"
        }
        return fraction + "; the core may be misdetected (best supported here: \(best.rawValue); try --blas-core"
            + " \(best.rawValue), and see `claimbench platform`)"
    }
}
