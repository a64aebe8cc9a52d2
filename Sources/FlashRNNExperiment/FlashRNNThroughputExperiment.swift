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
///
/// The run is made of work units (`FlashRNNUnits.swift`): one per agreement check (cell, D), one
/// for the machine probes, one per throughput shape (D, B); `run` runs them all and assembles.
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
}
