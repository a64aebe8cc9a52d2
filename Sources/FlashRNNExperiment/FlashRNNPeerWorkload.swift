import HarnessCore
import LinearAlgebra

/// What `claimbench perf rnn` adds for `perf --peers`: our fused pass's own time per shape, and
/// the workloads torch runs (`peers/lstm_torch.py`): the very inputs and weights the sweep timed
/// (`RNNProblem.random` with the run's streams, so the same draws) and our fused pass's h at every
/// step on them. Layouts as `RNNShape`: Wx [T][B][4][N][D], R [N][D][4][D], b [4][N][D],
/// h [T][B][N][D], gates in the order i, f, z, o (torch's i, f, g, o).
extension FlashRNNThroughputExperiment {
    /// Head dims exported to the peers (issue 12's table: D = 16, 64, 256): each shape's Wx is a
    /// 25 MB file at 2,048 tokens, so not every head dim of the sweep is written.
    static let peerHeadDims = [16, 64, 256]

    /// `throughput/D=<D>/B=<B>/fused_seconds`: the median seconds of one fused pass, the time
    /// behind `tokens_per_second_fused`.
    static func fusedSecondsMetrics(_ rows: [ThroughputSweep.Row]) -> [MetricName: Metric] {
        var metrics: [MetricName: Metric] = [:]
        for row in rows { metrics[fusedSecondsMetric(headDim: row.headDim, batch: row.batch)] = row.alternating.candidate.metric() }
        return metrics
    }

    static func fusedSecondsMetric(headDim: Int, batch: Int) -> MetricName {
        MetricName("throughput/D=\(headDim)/B=\(batch)/fused_seconds")
    }

    /// Writes one workload per LSTM row whose head dim is in `peerHeadDims`.
    static func exportPeerWorkloads(_ rows: [ThroughputSweep.Row], configuration: ThroughputSweep.Configuration,
                                    export: PeerExport, context: RunContext, cache: CacheTopology) throws {
        guard configuration.cell == .lstm else { return }
        for row in rows where peerHeadDims.contains(row.headDim) {
            let shape = try RNNShape(cell: .lstm, batch: row.batch, steps: row.steps, hidden: configuration.hidden, headDim: row.headDim)
            let problem = try RNNProblem.random(shape, streams: context.streams)
            let ours = FusedForward.run(problem, plan: TilingPlan(shape: shape, threads: context.threads, cache: cache))
            let (t, b, n, d) = (shape.steps, shape.batch, shape.heads, shape.headDim)
            let name = "rnn/lstm/D=\(d)/B=\(b)"
            try export.submit(PeerWorkload(
                kind: "lstm", name: name,
                parameters: ["repetitions": Double(configuration.repetitions), "warmups": Double(configuration.warmups)],
                inputs: [
                    "wx": NumPyArray(shape: [t, b, 4, n, d], float32: problem.inputs),
                    "recurrent": NumPyArray(shape: [n, d, 4, d], float32: problem.recurrent),
                    "bias": NumPyArray(shape: [4, n, d], float32: problem.bias),
                ],
                cases: [.init(name: name, oursMetric: fusedSecondsMetric(headDim: d, batch: b),
                              oursOutput: NumPyArray(shape: [t, b, n, d], float32: ours.outputs))]))
        }
    }
}
