import HarnessCore
import LinearAlgebra

/// `claimbench perf rnn`: the throughput sweep of `ThroughputSweep` with the `[perf]` table's
/// sizes and repetitions. Bandwidth comes from the harness's `MachineLimits` (measured in the
/// same `perf` run); the Float32 GEMM peak is measured here, since `MachineLimits.gemmPeak` is
/// dgemm's. Every number is a ratio measured side by side, or a fraction of those limits.
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
        let sweep = ThroughputSweep(configuration: parameters.sweep, limits: .init(singlePrecisionFlops: flops, bandwidth: limits.memoryBandwidth))
        var (rows, output) = try sweep.run(streams: context.streams, threads: context.threads, cache: cache, progress: context.progress)
        output.metrics["machine/sgemm_peak_flops"] = .timing(flops, unit: "flop/s")
        for row in rows { output.notes["tiling/D=\(row.headDim)/B=\(row.batch)"] = row.plan.notes + " limit=\(row.bound)" }
        output.metrics.merge(fusedSecondsMetrics(rows)) { _, new in new }
        if let export = context.peerExport {
            try exportPeerWorkloads(rows, configuration: parameters.sweep, export: export, context: context, cache: cache)
        }
        return output
    }
}
