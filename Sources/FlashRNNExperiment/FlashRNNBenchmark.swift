import HarnessCore
import LinearAlgebra

/// `claimbench perf rnn`: the throughput sweep of `ThroughputSweep` with the `[perf]` table's
/// sizes and repetitions. Bandwidth comes from the harness's `MachineLimits` (measured in the
/// same `perf` run); the Float32 GEMM peak is measured here, since `MachineLimits.gemmPeak` is
/// dgemm's, and so is the Float32 FMA peak (`MachineProbes.fmaPeak`), which each fused row is also
/// held against. Every number is a ratio measured side by side, or a fraction of those limits.
extension FlashRNNThroughputExperiment: PerformanceBenchmark {
    public struct PerfParameters: Encodable, Sendable {
        var sweep: ThroughputSweep.Configuration
        var probeGemmDimension: Int
    }

    public static func decodePerfParameters(_ table: ParameterTable) throws -> PerfParameters {
        let parameters = PerfParameters(sweep: try decodeSweep(table), probeGemmDimension: try table.value("probe_gemm_dimension", default: 1024))
        try table.finish()
        if !(64...4096).contains(parameters.probeGemmDimension) { throw table.error("probe_gemm_dimension", "must be in 64…4096") }
        return parameters
    }

    public static func benchmark(_ parameters: PerfParameters, limits: MachineLimits, context: RunContext) throws -> ExperimentOutput {
        let cache = CacheTopology.current()
        let flops = SinglePrecisionBLAS.gemmPeak(threads: context.threads, dimension: parameters.probeGemmDimension)
        let fma = MachineProbes.fmaPeak(precision: .float32, threads: context.threads)
        let sweep = ThroughputSweep(configuration: parameters.sweep)
        let sweepLimits = ThroughputSweep.Limits(singlePrecisionFlops: flops, bandwidth: limits.memoryBandwidth, fmaPeakFlops: fma.flopsPerSecond)
        var (rows, output) = try sweep.run(limits: sweepLimits, streams: context.streams, threads: context.threads, cache: cache, progress: context.progress)
        output.metrics["machine/sgemm_peak_flops"] = .timing(flops, unit: "flop/s")
        output.metrics["machine/fma_peak_float32_flops"] = .timing(fma.flopsPerSecond, unit: "flop/s")
        output.notes["fma_peak"] = fmaPeakNote(fma, threads: context.threads)
        for row in rows { output.notes["tiling/D=\(row.headDim)/B=\(row.batch)"] = row.plan.notes + " limit=\(row.limit(sweepLimits).bound)" }
        output.metrics.merge(fusedSecondsMetrics(rows)) { _, new in new }
        if let export = context.peerExport {
            try exportPeerWorkloads(rows, configuration: parameters.sweep, export: export, context: context, cache: cache)
        }
        return output
    }
}

extension FlashRNNThroughputExperiment {
    /// The FMA peak's provenance, with its ratio to the nominal Float32 peak where this CPU's
    /// FMA units are known (`NominalPeak` is Float64; Float32 has twice the lanes).
    static func fmaPeakNote(_ fma: MachineProbes.FMAThroughput, threads: Int) -> String {
        var note = "\(fma.path): \(threads) thread(s) × \(fma.iterations) iterations × \(fma.flopsPerIteration) flop"
            + String(format: " in %.4f s = %.1f GFLOP/s", fma.seconds, fma.flopsPerSecond / 1e9)
        if let nominal = NominalPeak.current(threads: threads) {
            note += String(format: "; nominal Float32 %.1f GFLOP/s (2 × %@), measured/nominal %.2f",
                           2 * nominal.flopsPerSecond / 1e9, nominal.formula, fma.flopsPerSecond / (2 * nominal.flopsPerSecond))
        }
        return note
    }
}
