import HarnessCore
import LinearAlgebra

/// The numeric half of the suite: for one cell and shape, the three Float32 implementations
/// against the Float64 reference, and the fused kernel against itself at another thread count.
///
/// Metrics, named `<cell>/D=<D>/<metric>`:
/// - `input_checksum` (exact): the Float32 bits of Wx, R and b;
/// - `max_abs_error_{vanilla,alternating,fused}` (numeric): the largest |Float32 − Float64|
///   over h at every step and every final state;
/// - `reference_state_sum_<k>` (numeric): Σ of final state k in the Float64 reference
///   (k = h, c, n, m as the cell has them);
/// - `fused_state_sum_<k>`, `fused_output_sum` (numeric): the same for the fused kernel, and Σ h_t;
/// - `onednn_max_abs_error`, `onednn_dense_max_abs_error` (numeric; LSTM, GRU and Elman only,
///   sLSTM has no oneDNN counterpart): the same error for the vendor baseline, oneDNN's RNN
///   primitive run per head and as one dense primitive with zero off-diagonal blocks
///   (`OneDNNForward`, `threads` OpenMP threads);
/// - `fused_thread_invariant` (exact): 1 when the fused kernel gives bit-identical outputs and
///   states with one worker and with `alternateThreads` workers;
/// - `fused_error_mean_over_draws` (stochastic, `drawnErrorMetric`): the fused kernel's max abs
///   error against the reference, averaged over independently drawn problems of the same shape,
///   with its standard error and 95% t-interval: how large the Float32 error typically is,
///   rather than on one problem.
enum AgreementCheck {
    static let stateNames: [RNNCell: [String]] = [.lstm: ["h", "c"], .gru: ["h"], .elman: ["h"], .slstm: ["h", "c", "n", "m"]]

    static func metrics(_ problem: RNNProblem, threads: Int, alternateThreads: Int, cache: CacheTopology) throws -> [String: Metric] {
        let shape = problem.shape
        let reference = ReferenceForward.run(problem, as: Double.self)
        let plan = TilingPlan(shape: shape, threads: threads, cache: cache)
        let fused = FusedForward.run(problem, plan: plan)
        let other = FusedForward.run(problem, plan: TilingPlan(shape: shape, threads: alternateThreads, cache: cache))
        var metrics: [String: Metric] = [
            "input_checksum": .exact(problem.inputChecksum),
            "max_abs_error_vanilla": .numeric(maxError(VanillaForward.run(problem), reference)),
            "max_abs_error_alternating": .numeric(maxError(AlternatingForward.run(problem), reference)),
            "max_abs_error_fused": .numeric(maxError(fused, reference)),
            "fused_output_sum": .numeric(fused.outputs.reduce(0.0) { $0 + Double($1) }),
            "fused_thread_invariant": .exact(bitIdentical(fused, other) ? 1 : 0),
        ]
        if OneDNNForward.supports(shape.cell) {
            for layout in OneDNNLayout.allCases {
                let output = try OneDNNForward(problem, layout: layout, threads: threads).run()
                metrics[oneDNNErrorName(layout)] = .numeric(maxError(output, reference))
            }
        }
        let perState = shape.batch * shape.hidden
        for (k, name) in (stateNames[shape.cell] ?? []).enumerated() {
            let range = (k * perState)..<((k + 1) * perState)
            metrics["reference_state_sum_\(name)"] = .numeric(reference.finalStates[range].reduce(0, +))
            metrics["fused_state_sum_\(name)"] = .numeric(fused.finalStates[range].reduce(0.0) { $0 + Double($1) })
        }
        return metrics
    }

    /// `onednn_max_abs_error` (per head) or `onednn_dense_max_abs_error`.
    static func oneDNNErrorName(_ layout: OneDNNLayout) -> String {
        layout == .perHead ? "onednn_max_abs_error" : "onednn_dense_max_abs_error"
    }

    /// The fused kernel's error on `draws` independent problems of `shape` (draw 0 is the
    /// problem `metrics` checks), as a mean with its standard error.
    static func drawnErrorMetric(_ shape: RNNShape, draws: Int, streams: RandomStreams, threads: Int, cache: CacheTopology) throws -> Metric {
        let plan = TilingPlan(shape: shape, threads: threads, cache: cache)
        let errors = try (0..<draws).map { draw in
            let problem = try RNNProblem.random(shape, streams: streams, draw: draw)
            return maxError(FusedForward.run(problem, plan: plan), ReferenceForward.run(problem, as: Double.self))
        }
        return .stochastic(samples: errors)
    }

    /// max |a − b| over outputs and final states (NaN anywhere gives NaN).
    static func maxError(_ a: RNNOutput<Float>, _ b: RNNOutput<Double>) -> Double {
        var worst = 0.0
        for (x, y) in Array(zip(a.outputs, b.outputs)) + Array(zip(a.finalStates, b.finalStates)) {
            let e = abs(Double(x) - y)
            if e.isNaN { return .nan }
            worst = max(worst, e)
        }
        return worst
    }

    static func bitIdentical(_ a: RNNOutput<Float>, _ b: RNNOutput<Float>) -> Bool {
        a.outputs.map(\.bitPattern) == b.outputs.map(\.bitPattern) && a.finalStates.map(\.bitPattern) == b.finalStates.map(\.bitPattern)
    }
}
