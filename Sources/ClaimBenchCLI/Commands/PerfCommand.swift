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
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "Suites to benchmark (default: all that have a benchmark).")
    var suites: [String] = []

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
            let context = RunContext(
                seed: declaration.seed, threads: common.threads, progress: ProgressDisplay.reporter(label: "\(declaration.id) perf"))
            let start = Stopwatch.now()
            let output = try prepared.run(context)
            var record = RunRecord(
                suite: declaration.id, preset: "perf", experiment: declaration.experiment, seed: declaration.seed,
                parameters: prepared.parameters, provenance: provenance, metrics: output.metrics, claims: [],
                tables: output.tables.keys.sorted(), notes: output.notes.merging(Self.notes(limits, nominal: nominal)) { a, _ in a })
            record.provenance.wallSeconds = Stopwatch.now() - start
            let directory = try workspace.store.newRunDirectory(suite: declaration.id, preset: "perf")
            try workspace.store.write(record, tables: output.tables, to: directory)
            var table = TextTable("metric", "median", "~95% CI", "unit")
            for name in output.metrics.keys.sorted() {
                let metric = output.metrics[name]!
                let interval = metric.interval.map { "[\(formatted($0.lower)), \(formatted($0.upper))]" } ?? ""
                table.add(name.rawValue, formatted(metric.value), interval, metric.unit)
            }
            print(table.rendered())
            print("  wrote \(workspace.displayPath(directory))")
        }
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
