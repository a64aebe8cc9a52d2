import Foundation
import HarnessCore

/// Top eigenvalue of the full and batch Hessians at initialisation against the paper's
/// spiked-model prediction (Granziol et al. 2020, Sec. 4 theorem; Fig. 3–4 show the measured
/// counterpart on VGG/CIFAR-100). Initialisation is where a too-large learning rate first
/// blows up, so it is where the stability threshold 2/λ is decided.
struct HessianStudy {
    struct Row {
        var batchSize: Int
        var mean: Double
        var interval: MetricInterval?
        var predicted: Double
    }

    var fullTopEigenvalue = 0.0
    var theory: SpikedBatchHessianTheory?
    var rows: [Row] = []

    /// The study from its work units' results (`LearningRateBatchUnits`): λ₁ and σ² of the full
    /// data, and the batch Hessians' top eigenvalues per B, in `batchSizes` order.
    init(fullTopEigenvalue: Double, entryVariance: Double, parameterCount: Int, sampleCount: Int,
         batchTopEigenvalues: [(batchSize: Int, values: [Double])]) {
        let theory = SpikedBatchHessianTheory(
            fullTopEigenvalue: fullTopEigenvalue, entryVariance: entryVariance, parameterCount: parameterCount, sampleCount: sampleCount)
        self.fullTopEigenvalue = fullTopEigenvalue
        self.theory = theory
        rows = batchTopEigenvalues.map { b, values in
            let (mean, interval) = ScalingFit.meanWithInterval(values)
            return Row(batchSize: b, mean: mean, interval: interval, predicted: theory.predictedTopEigenvalue(batchSize: b))
        }
    }

    /// The Hessian probe at the initial parameters of seed 0, and the Lanczos step count.
    private static func initialProbe<Model: TrainableModel>(_ model: Model, label: String, streams: RandomStreams, steps: Int)
        -> (HessianProbe<Model>, Int) {
        let initial = model.initialParameters(streams.stream("\(label)/init", replicate: 0))
        return (HessianProbe(model: model, parameters: initial), min(steps, model.parameterCount))
    }

    /// λ₁ of the full-data Hessian (Lanczos from stream `<label>/lanczos-start`) and σ², the
    /// per-sample entry variance (stream `<label>/hessian-variance`).
    static func fullSpectrum(
        model: some TrainableModel, label: String, data: Dataset, parameters p: LearningRateBatchParameters, streams: RandomStreams
    ) throws -> (topEigenvalue: Double, entryVariance: Double) {
        let (probe, steps) = initialProbe(model, label: label, streams: streams, steps: p.lanczosSteps)
        let start = streams.stream("\(label)/lanczos-start").normals(model.parameterCount)
        let top = try probe.topEigenvalue(on: data, steps: steps, start: start)
        let variance = probe.perSampleEntryVariance(
            data: data, probes: 4, samples: p.varianceSamples, stream: streams.stream("\(label)/hessian-variance"))
        return (top, variance)
    }

    /// The top eigenvalue of `hessian_batches` batch Hessians at B, batches and Lanczos starts
    /// drawn from stream `<label>/hessian-batches/B=<b>`.
    static func batchTopEigenvalues(
        model: some TrainableModel, label: String, data: Dataset, batchSize b: Int, parameters p: LearningRateBatchParameters,
        streams: RandomStreams
    ) throws -> [Double] {
        let (probe, steps) = initialProbe(model, label: label, streams: streams, steps: p.lanczosSteps)
        var draw = streams.stream("\(label)/hessian-batches/B=\(b)")
        var values: [Double] = []
        for _ in 0..<p.hessianBatches {
            let batch = data.batch(BatchSampler.subset(size: b, of: data.count, stream: &draw))
            let start = (0..<model.parameterCount).map { _ in draw.normal() }
            values.append(try probe.topEigenvalue(on: batch, steps: steps, start: start))
        }
        return values
    }

    /// Metrics `<label>/hessian/…`.
    func metrics(label: String) -> [String: Metric] {
        var out: [String: Metric] = [:]
        let lambda = fullTopEigenvalue
        out["\(label)/hessian/full_top_eigenvalue"] = .numeric(lambda)
        // NaN when there is no theory, so the metric names follow from the parameters alone.
        out["\(label)/hessian/entry_variance"] = .numeric(theory?.entryVariance ?? .nan)
        out["\(label)/hessian/predicted_crossover_batch"] = .numeric(theory?.crossoverBatchSize ?? .nan)
        for row in rows {
            out["\(label)/hessian/B=\(row.batchSize)/top_eigenvalue"] = .numeric(row.mean, interval: row.interval)
            out["\(label)/hessian/B=\(row.batchSize)/predicted_top_eigenvalue"] = .numeric(row.predicted)
        }
        // Smallest relative excess (λ_B − λ)/λ over B, with that B's interval.
        if let worst = rows.min(by: { $0.mean < $1.mean }) {
            let interval = worst.interval.map {
                MetricInterval(lower: ($0.lower - lambda) / lambda, upper: ($0.upper - lambda) / lambda, level: $0.level)
            }
            out["\(label)/hessian/min_relative_excess"] = .numeric((worst.mean - lambda) / lambda, interval: interval)
        }
        // How the excess falls with B: measured against predicted log–log slope, over all B.
        let sizes = rows.map { Double($0.batchSize) }
        let measured = ScalingFit.logLogSlope(x: sizes, y: rows.map { $0.mean - lambda })
        let predicted = ScalingFit.logLogSlope(x: sizes, y: rows.map { $0.predicted - lambda })
        out["\(label)/hessian/excess_slope"] = .numeric(measured)
        out["\(label)/hessian/predicted_excess_slope"] = .numeric(predicted)
        out["\(label)/hessian/excess_slope_difference"] = .numeric(measured - predicted)
        // Measured over predicted top eigenvalue, worst B.
        let ratios = rows.map { $0.mean / $0.predicted }
        out["\(label)/hessian/max_prediction_ratio"] = .numeric(ratios.max() ?? .nan)
        out["\(label)/hessian/min_prediction_ratio"] = .numeric(ratios.min() ?? .nan)
        return out
    }
}
