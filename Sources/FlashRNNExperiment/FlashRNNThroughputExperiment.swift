import Foundation
import HarnessCore
import LinearAlgebra

/// The `rnn` suite: the CPU analogue of FlashRNN (Pöppel, Beck & Hochreiter 2024, arXiv
/// 2412.07752). Two parts in one run:
/// 1. agreement (`AgreementCheck`): every cell (LSTM, GRU, Elman, sLSTM; Sec. 2) at each
///    head dim of `check_head_dims`, vanilla / alternating / fused in Float32 against the Float64
///    reference: golden-checked numbers (errors, final-state sums, checksums);
/// 2. throughput (`ThroughputSweep`; Sec. 5, Fig. 1): tokens/s of the three implementations
///    over head dims and batch sizes, speedups timed side by side, fractions of the machine's
///    limit (sgemm peak, read bandwidth and the Float32 FMA peak measured in the same run).
///    Timing only.
public enum FlashRNNThroughputExperiment: Experiment {
    public struct Parameters: Encodable, Sendable {
        public var cells: [RNNCell]
        public var checkBatch: Int
        public var checkSteps: Int
        public var checkHidden: Int
        public var checkHeadDims: [Int]
        /// Independent problems per (cell, head dim) behind `fused_error_mean_over_draws`.
        public var errorDraws: Int
        var sweep: ThroughputSweep.Configuration
        /// Size of the bandwidth probe's array, MiB, and of the sgemm peak probe's matrices.
        public var probeBandwidthMiB: Int
        public var probeGemmDimension: Int

        enum CodingKeys: String, CodingKey {
            case cells, checkBatch = "check_batch", checkSteps = "check_steps", checkHidden = "check_hidden"
            case checkHeadDims = "check_head_dims", errorDraws = "error_draws", sweep = "throughput", probeBandwidthMiB = "probe_bandwidth_mib"
            case probeGemmDimension = "probe_gemm_dimension"
        }
    }

    public static let id: ExperimentID = "rnn.throughput"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let parameters = Parameters(
            cells: try table.required("cells"),
            checkBatch: try table.required("check_batch"),
            checkSteps: try table.required("check_steps"),
            checkHidden: try table.required("check_hidden"),
            checkHeadDims: try table.required("check_head_dims"),
            errorDraws: try table.required("error_draws"),
            sweep: try decodeSweep(table),
            probeBandwidthMiB: try table.value("probe_bandwidth_mib", default: 256),
            probeGemmDimension: try table.value("probe_gemm_dimension", default: 1024))
        try table.finish()
        if parameters.cells.isEmpty { throw table.error("cells", "name at least one cell") }
        for (key, value) in [("check_batch", parameters.checkBatch), ("check_steps", parameters.checkSteps),
                             ("check_hidden", parameters.checkHidden)] where !(1...4096).contains(value) {
            throw table.error(key, "must be in 1…4096, got \(value)")
        }
        if !(2...64).contains(parameters.errorDraws) {
            throw table.error("error_draws", "must be in 2…64 (a standard error needs at least two draws), got \(parameters.errorDraws)")
        }
        try checkHeadDims(parameters.checkHeadDims, hidden: parameters.checkHidden, key: "check_head_dims", hiddenKey: "check_hidden", table: table)
        if !(16...4096).contains(parameters.probeBandwidthMiB) { throw table.error("probe_bandwidth_mib", "must be in 16…4096 MiB") }
        if !(64...4096).contains(parameters.probeGemmDimension) { throw table.error("probe_gemm_dimension", "must be in 64…4096") }
        try checkBounds(parameters, table)
        return parameters
    }

    static func decodeSweep(_ table: ParameterTable) throws -> ThroughputSweep.Configuration {
        let sweep = ThroughputSweep.Configuration(
            cell: try table.value("throughput_cell", default: RNNCell.lstm),
            hidden: try table.required("throughput_hidden"),
            headDims: try table.required("throughput_head_dims"),
            batches: try table.required("throughput_batches"),
            tokens: try table.required("throughput_tokens"),
            repetitions: try table.value("repetitions", default: 5),
            warmups: try table.value("warmups", default: 1))
        if !(1...8192).contains(sweep.hidden) { throw table.error("throughput_hidden", "must be in 1…8192, got \(sweep.hidden)") }
        try checkHeadDims(sweep.headDims, hidden: sweep.hidden, key: "throughput_head_dims", hiddenKey: "throughput_hidden", table: table)
        if sweep.batches.isEmpty || sweep.batches.contains(where: { !(1...1024).contains($0) }) {
            throw table.error("throughput_batches", "name at least one batch size, each in 1…1024")
        }
        if sweep.tokens < sweep.batches.max()! { throw table.error("throughput_tokens", "must be at least the largest batch (T = tokens / B ≥ 1)") }
        if !(3...1000).contains(sweep.repetitions) { throw table.error("repetitions", "must be in 3…1000 (a median interval needs a few samples)") }
        if !(0...100).contains(sweep.warmups) { throw table.error("warmups", "must be in 0…100") }
        return sweep
    }

    static func checkHeadDims(_ dims: [Int], hidden: Int, key: String, hiddenKey: String, table: ParameterTable) throws {
        if dims.isEmpty { throw table.error(key, "name at least one head dim") }
        if let bad = dims.first(where: { $0 < 1 || hidden % $0 != 0 }) {
            throw table.error(key, "head dim \(bad) does not divide \(hiddenKey) = \(hidden); D must split the hidden state into whole heads")
        }
    }

    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        let cache = CacheTopology.current()
        let streams = context.streams
        let alternate = context.threads == 1 ? 2 : 1
        for cell in parameters.cells {
            for d in parameters.checkHeadDims {
                context.progress.update(done: 0, total: 1, detail: "agreement \(cell.rawValue) D=\(d)")
                let shape = try RNNShape(cell: cell, batch: parameters.checkBatch, steps: parameters.checkSteps, hidden: parameters.checkHidden, headDim: d)
                let problem = try RNNProblem.random(shape, streams: streams)
                for (name, metric) in AgreementCheck.metrics(problem, threads: context.threads, alternateThreads: alternate, cache: cache) {
                    output.metrics[MetricName("\(cell.rawValue)/D=\(d)/\(name)")] = metric
                }
                output.metrics[MetricName("\(cell.rawValue)/D=\(d)/fused_error_mean_over_draws")] = try AgreementCheck.drawnErrorMetric(
                    shape, draws: parameters.errorDraws, streams: streams, threads: context.threads, cache: cache)
            }
        }
        let bandwidth = MachineProbes.memoryBandwidth(threads: context.threads, bytes: parameters.probeBandwidthMiB << 20)
        let flops = SinglePrecisionBLAS.gemmPeak(threads: context.threads, dimension: parameters.probeGemmDimension)
        let fma = MachineProbes.fmaPeak(precision: .float32, threads: context.threads)
        let sweep = ThroughputSweep(configuration: parameters.sweep, limits: .init(
            singlePrecisionFlops: flops, bandwidth: bandwidth.bytesPerSecond, fmaPeakFlops: fma.flopsPerSecond))
        let (rows, timing) = try sweep.run(streams: streams, threads: context.threads, cache: cache, progress: context.progress)
        output.metrics.merge(timing.metrics) { a, _ in a }
        output.tables.merge(timing.tables) { a, _ in a }
        output.metrics["machine/sgemm_peak_flops"] = .timing(flops, unit: "flop/s")
        output.metrics["machine/read_bandwidth"] = .timing(bandwidth.bytesPerSecond, unit: "B/s")
        output.metrics["machine/fma_peak_float32_flops"] = .timing(fma.flopsPerSecond, unit: "flop/s")
        output.notes["fma_peak"] = FlashRNNThroughputExperiment.fmaPeakNote(fma, threads: context.threads)
        output.notes["cache"] = "L1d \(cache.l1Data) B, L2 \(cache.l2) B (\(cache.source.rawValue))"
        for row in rows {
            output.notes["tiling/D=\(row.headDim)/B=\(row.batch)"] = row.plan.notes + " limit=\(row.bound)"
        }
        output.notes["limit"] = "max(recurrent flops / sgemm peak, (Wx + outputs + R + b) bytes / read bandwidth), measured at the start of this run"
        output.notes["agreement_threads"] = "fused kernel compared bit for bit at \(context.threads) and \(alternate) workers"
        context.progress.update(done: 1, total: 1, detail: "done")
        return output
    }
}
