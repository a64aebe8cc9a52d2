import Foundation
import HarnessCore
import LinearAlgebra

/// The `lr-batch` suite: maximal stable learning rate and batch-Hessian top eigenvalue as
/// functions of the batch size B (Granziol, Zohren & Roberts, "Learning Rates as a Function of
/// Batch Size", arXiv 2006.09092 / JMLR 2022; Sec. 4 theorem, Sec. 5 SGD, Sec. 6 Adam).
///
/// For each model (`mlp`, `mlp-softplus`, `logistic`), metrics named `<model>/…`:
/// - `hessian/full_top_eigenvalue` λ₁, `hessian/entry_variance` σ², `hessian/B=<b>/top_eigenvalue`
///   (mean over batches, t-interval), `hessian/B=<b>/predicted_top_eigenvalue` (the theorem),
///   `hessian/min_relative_excess`, `hessian/excess_slope`, `hessian/predicted_excess_slope`,
///   `hessian/excess_slope_difference`, `hessian/{min,max}_prediction_ratio`,
///   `hessian/predicted_crossover_batch` B* = Pσ²/λ₁²;
/// - per optimiser `<opt>/B=<b>/lr_max` (geometric mean over seeds, t-interval on the log),
///   `<opt>/lr_slope` (B ≤ noise_dominated_max_batch), `<opt>/lr_slope_all_batches`,
///   `<opt>/saturation_slope` (B ≥ saturation_min_batch), `<opt>/unbracketed_searches` (exact),
///   and for SGD `sgd/crossover_ratio`, the fitted bend of lr_max(B) over B*;
/// - `data_checksum` (exact).
/// Everything runs on one thread; BLAS calls are the only place `--threads` can act.
public enum LearningRateBatchExperiment: Experiment {
    public typealias Parameters = LearningRateBatchParameters

    public static let id: ExperimentID = "lr-batch.scaling"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        try LearningRateBatchParameters.decode(table)
    }

    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        var lrTable = CSVTable(columns: ["model", "optimizer", "batch_size", "lr_max", "ci_lower", "ci_upper", "slope", "fit"])
        var seedTable = CSVTable(columns: ["model", "optimizer", "seed", "batch_size", "lr_stable", "lr_divergent", "bound"])
        var hessianTable = CSVTable(columns: ["model", "batch_size", "top_eigenvalue", "ci_lower", "ci_upper", "predicted", "full"])
        let streams = context.streams
        for (index, kind) in parameters.models.enumerated() {
            let label = kind.rawValue
            let data: Dataset
            let results: (HessianStudy, LearningRateStudy)
            let progress: (String) -> Void = { context.progress.update(done: index, total: parameters.models.count, detail: $0) }
            switch kind {
            case .mlp, .mlpSoftplus:
                // Both MLPs see the same data (the tanh teacher's), so they differ only in φ.
                data = TeacherStudentData.regression(
                    samples: parameters.samples, dimension: parameters.inputDimension, teacherHidden: parameters.teacherHiddenUnits,
                    noise: parameters.labelNoise, streams: streams, prefix: "mlp")
                let model = TwoLayerMLP(inputDimension: parameters.inputDimension, hiddenUnits: parameters.hiddenUnits,
                                        activation: kind == .mlp ? .tanh : .softplus)
                results = try study(model, label: label, data: data, parameters: parameters, streams: streams, progress: progress)
            case .logistic:
                data = TeacherStudentData.classification(
                    samples: parameters.samples, dimension: parameters.logisticInputDimension, teacherScale: 3,
                    streams: streams, prefix: label)
                results = try study(LogisticRegression(inputDimension: parameters.logisticInputDimension),
                                    label: label, data: data, parameters: parameters, streams: streams, progress: progress)
            }
            let (hessian, rates) = results
            output.metrics[MetricName("\(label)/data_checksum")] = .exact(DataChecksum.of(data))
            for (name, metric) in hessian.metrics(label: label).merging(
                rates.metrics(label: label, parameters: parameters, theory: hessian.theory), uniquingKeysWith: { a, _ in a }) {
                output.metrics[MetricName(name)] = metric
            }
            for row in hessian.rows {
                hessianTable.append([.text(label), .integer(row.batchSize), .number(row.mean), .number(row.interval?.lower ?? .nan),
                                     .number(row.interval?.upper ?? .nan), .number(row.predicted), .number(hessian.fullTopEigenvalue)])
            }
            appendRates(rates, label: label, parameters: parameters, to: &lrTable)
            for search in rates.searches {
                seedTable.append([.text(label), .text(search.optimizer.rawValue), .integer(search.seed), .integer(search.batchSize),
                                  .number(search.result.stable), .number(search.result.divergent), .text(search.result.bound.rawValue)])
            }
        }
        context.progress.update(done: parameters.models.count, total: parameters.models.count, detail: "done")
        output.tables = ["lr_max.csv": lrTable, "lr_max_by_seed.csv": seedTable, "hessian.csv": hessianTable]
        output.notes["divergence"] = "non-finite loss, a batch loss above 1e6 × the initial full-data loss, or a final full-data loss above \(parameters.divergenceFactor) × the initial one"
        output.notes["hessian_point"] = "initial parameters of seed 0; Hv by central differences of gradients; top eigenvalue by Lanczos"
        return output
    }

    static func study(
        _ model: some TrainableModel, label: String, data: Dataset, parameters: Parameters, streams: RandomStreams,
        progress: (String) -> Void
    ) throws -> (HessianStudy, LearningRateStudy) {
        progress("\(label)/hessian")
        let hessian = try HessianStudy.run(model: model, label: label, data: data, parameters: parameters, streams: streams)
        let rates = LearningRateStudy.run(model: model, label: label, data: data, parameters: parameters, streams: streams, progress: progress)
        return (hessian, rates)
    }

    /// Rows of the lr_max figure: the geometric mean with its interval, the mean fitted slope over
    /// the noise-dominated range, and the power law with that slope through those points.
    static func appendRates(_ rates: LearningRateStudy, label: String, parameters p: Parameters, to table: inout CSVTable) {
        for optimizer in p.optimizers {
            let (slope, _) = rates.slope(optimizer, seeds: p.seeds, over: p.noiseDominatedBatches)
            let means = p.batchSizes.map { rates.geometricMean(optimizer, batchSize: $0) }
            let inRange = zip(p.batchSizes, means).filter { $0.0 <= p.noiseDominatedMaxBatch }
            let intercept = inRange.reduce(0) { $0 + log($1.1.0) - slope * log(Double($1.0)) } / Double(inRange.count)
            for (b, (value, interval)) in zip(p.batchSizes, means) {
                table.append([.text(label), .text(optimizer.rawValue), .integer(b), .number(value),
                              .number(interval?.lower ?? .nan), .number(interval?.upper ?? .nan), .number(slope),
                              .number(exp(intercept + slope * log(Double(b))))])
            }
        }
    }
}

/// A checksum of a data set's bits (inputs, then targets), exact on any machine (`BitChecksum`).
enum DataChecksum {
    static func of(_ data: Dataset) -> Double {
        var checksum = BitChecksum()
        checksum.add(data.inputs.elements)
        checksum.add(data.targets)
        return checksum.value
    }
}
