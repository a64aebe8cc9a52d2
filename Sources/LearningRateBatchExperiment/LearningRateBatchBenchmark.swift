import Foundation
import HarnessCore
import LinearAlgebra

/// `claimbench perf lr-batch`: the kernels every scan trial and Lanczos step is made of, on
/// the `default` preset's MLP (d = 128, h = 16) for each B of `[perf]`. Metrics `B=<b>/…`, each
/// a median with a ~95% interval, every ratio measured in the same run:
/// - `gradient_seconds`: one mini-batch loss and gradient (batch gather included);
/// - `gradient_fraction_of_gemm_peak`: the gradient's 4Bdh multiply-add flops at the machine's
///   measured dgemm peak, over the measured time (1 = at the limit);
/// - `gradient_speedup_vs_loops`: the per-sample loop gradient (`referenceLossAndGradient`) over
///   the GEMM gradient, timed alternately (`Stopwatch.compare`);
/// - `hessian_vector_product_in_gradients`: one finite-difference Hv over one gradient
///   (2 by construction plus the vector arithmetic).
extension LearningRateBatchExperiment: PerformanceBenchmark {
    public struct PerfParameters: Encodable, Sendable {
        public var batchSizes: [Int]
        public var repetitions: Int
        enum CodingKeys: String, CodingKey { case batchSizes = "batch_sizes", repetitions }
    }

    static let benchmarkModel = TwoLayerMLP(inputDimension: 128, hiddenUnits: 16)
    static let benchmarkSamples = 4096

    public static func decodePerfParameters(_ table: ParameterTable) throws -> PerfParameters {
        let p = PerfParameters(batchSizes: try table.required("batch_sizes"), repetitions: try table.value("repetitions", default: 15))
        try table.finish()
        if p.batchSizes.isEmpty { throw table.error("batch_sizes", "name at least one batch size") }
        if let bad = p.batchSizes.first(where: { $0 < 1 || $0 > benchmarkSamples }) {
            throw table.error("batch_sizes", "batch size \(bad) is outside 1…\(benchmarkSamples)")
        }
        if !(3...1000).contains(p.repetitions) { throw table.error("repetitions", "must be in 3…1000, got \(p.repetitions)") }
        return p
    }

    /// Gradients per timing sample: about 5·10⁷ multiply-adds per sample, at least one.
    static func gradientsPerSample(_ b: Int) -> Int { max(1, 50_000_000 / (b * 128 * 16 * 2)) }

    public static func benchmark(_ parameters: PerfParameters, limits: MachineLimits, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var perf = PerformanceTable(column: "batch_size", label: "B")
        let model = benchmarkModel
        let data = TeacherStudentData.regression(
            samples: benchmarkSamples, dimension: model.inputDimension, teacherHidden: 4, noise: 0.1, streams: context.streams)
        let w = model.initialParameters(context.streams.stream("mlp/init"))
        var sink = 0.0
        func record(_ b: Int, _ name: String, _ metric: Metric) { perf.record(b, name, metric) }
        for (index, b) in parameters.batchSizes.enumerated() {
            context.progress.update(done: index, total: parameters.batchSizes.count, detail: "B=\(b)")
            var draw = context.streams.stream("perf/batch/B=\(b)")
            let indices = BatchSampler.subset(size: b, of: data.count, stream: &draw)
            let repeats = gradientsPerSample(b)
            let gradient = Stopwatch.measure(repetitions: parameters.repetitions) {
                for _ in 0..<repeats { sink += model.lossAndGradient(w, on: data.batch(indices)).loss }
            }
            let perGradient = gradient.scaled(by: 1 / Double(repeats))
            record(b, "gradient_seconds", perGradient.metric())
            let flops = 4 * Double(b) * Double(model.inputDimension * model.hiddenUnits)
            record(b, "gradient_fraction_of_gemm_peak", perGradient.rate(flops / limits.gemmPeak, unit: "1"))
            let batch = data.batch(indices)
            let loops = Stopwatch.compare(repetitions: parameters.repetitions) {
                for _ in 0..<repeats { sink += model.referenceLossAndGradient(w, on: batch).loss }
            } candidate: {
                for _ in 0..<repeats { sink += model.lossAndGradient(w, on: batch).loss }
            }
            record(b, "gradient_speedup_vs_loops", loops.metric())
            let probe = HessianProbe(model: model, parameters: w)
            let v = context.streams.stream("perf/v").normals(model.parameterCount)
            let hvp = Stopwatch.compare(repetitions: parameters.repetitions) {
                for _ in 0..<repeats { sink += probe.product(v, on: batch)[0] }
            } candidate: {
                for _ in 0..<repeats { sink += model.lossAndGradient(w, on: batch).loss }
            }
            record(b, "hessian_vector_product_in_gradients", hvp.metric())
            if sink.isNaN { output.notes["B=\(b)/nan_seen"] = "a timed computation produced NaN" }
        }
        context.progress.update(done: parameters.batchSizes.count, total: parameters.batchSizes.count, detail: "done")
        output.metrics.merge(perf.metrics) { _, new in new }
        output.tables["perf.csv"] = perf.table
        output.notes["benchmark_model"] = "two-layer tanh MLP, d = 128, h = 16 (P = \(model.parameterCount)), N = \(benchmarkSamples)"
        return output
    }
}
