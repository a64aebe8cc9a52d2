import Foundation
import HarnessCore
import LinearAlgebra

/// The `lr-batch` suite: maximal stable learning rate and batch-Hessian top eigenvalue as
/// functions of the batch size B (Granziol, Zohren & Roberts, "Learning Rates as a Function of
/// Batch Size", arXiv 2006.09092 / JMLR 2022; Sec. 4 theorem, Sec. 5 SGD, Sec. 6 Adam).
///
/// For each model (`mlp`, `mlp-softplus`, `logistic`, `fashion-mnist`), metrics named `<model>/…`:
/// - `hessian/full_top_eigenvalue` λ₁, `hessian/entry_variance` σ², `hessian/B=<b>/top_eigenvalue`
///   (mean over batches, t-interval), `hessian/B=<b>/predicted_top_eigenvalue` (the theorem),
///   `hessian/min_relative_excess`, `hessian/excess_slope`, `hessian/predicted_excess_slope`,
///   `hessian/excess_slope_difference`, `hessian/{min,max}_prediction_ratio`,
///   `hessian/predicted_crossover_batch` B* = Pσ²/λ₁²;
/// - per optimiser `<opt>/B=<b>/lr_max` (stochastic: geometric mean over the seeds whose scan is
///   monotone, standard error, t-interval on the log), `<opt>/non_monotone_cells` and
///   `<opt>/unbracketed_cells` (exact counts of (seed, B) cells with no value), the saturating law
///   c·(B/(B + B*))^α fitted per seed (`SaturatingLaw`): `<opt>/fit/{exponent, crossover_batch,
///   plateau_lr, saturation_fraction, rms_log_residual, seeds_fitted}`, and `<opt>/window_slope`,
///   the straight log–log slope over B ≤ noise_dominated_max_batch;
/// - for SGD, against the branch-correct prediction lr_max ∝ 1/λ'₁ (`SpikedBatchHessianTheory`):
///   `sgd/predicted/{window_slope, exponent, crossover_batch, bulk_edge_batches}`,
///   `sgd/window_slope_minus_predicted`, `sgd/exponent_minus_predicted`, `sgd/crossover_ratio`;
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
        var lrTable = CSVTable(columns: ["model", "optimizer", "batch_size", "lr_max", "ci_lower", "ci_upper", "slope", "fit", "predicted"])
        var seedTable = CSVTable(columns: ["model", "optimizer", "seed", "batch_size", "lr_stable", "lr_divergent", "outcome",
                                           "switches", "first_divergent"])
        var scanTable = CSVTable(columns: ["model", "optimizer", "seed", "batch_size", "lr", "diverged"])
        var hessianTable = CSVTable(columns: ["model", "batch_size", "top_eigenvalue", "ci_lower", "ci_upper", "predicted", "full", "branch"])
        let streams = context.streams
        for (index, kind) in parameters.models.enumerated() {
            let label = kind.rawValue
            let progress: (String) -> Void = { context.progress.update(done: index, total: parameters.models.count, detail: $0) }
            let data = try dataset(kind, parameters: parameters, streams: streams)
            let (hessian, rates): (HessianStudy, LearningRateStudy)
            switch kind {
            case .mlp, .mlpSoftplus:
                let model = TwoLayerMLP(inputDimension: parameters.inputDimension, hiddenUnits: parameters.hiddenUnits,
                                        activation: kind == .mlp ? .tanh : .softplus)
                (hessian, rates) = try study(model, label: label, data: data, parameters: parameters, streams: streams, progress: progress)
            case .fashionMNIST:
                let model = TwoLayerMLP(inputDimension: data.dimension, hiddenUnits: parameters.imageHiddenUnits)
                (hessian, rates) = try study(model, label: label, data: data, parameters: parameters, streams: streams, progress: progress)
            case .logistic:
                (hessian, rates) = try study(LogisticRegression(inputDimension: parameters.logisticInputDimension),
                                             label: label, data: data, parameters: parameters, streams: streams, progress: progress)
            }
            output.metrics[MetricName("\(label)/data_checksum")] = .exact(DataChecksum.of(data))
            for (name, metric) in hessian.metrics(label: label).merging(
                rates.metrics(label: label, parameters: parameters, theory: hessian.theory), uniquingKeysWith: { a, _ in a }) {
                output.metrics[MetricName(name)] = metric
            }
            for row in hessian.rows {
                hessianTable.append([.text(label), .integer(row.batchSize), .number(row.mean), .number(row.interval?.lower ?? .nan),
                                     .number(row.interval?.upper ?? .nan), .number(row.predicted), .number(hessian.fullTopEigenvalue),
                                     .text(hessian.theory?.branch(batchSize: row.batchSize).rawValue ?? "")])
            }
            appendRates(rates, label: label, parameters: parameters, theory: hessian.theory, to: &lrTable)
            for cell in rates.cells {
                let scan = cell.scan
                seedTable.append([.text(label), .text(cell.optimizer.rawValue), .integer(cell.seed), .integer(cell.batchSize),
                                  .number(scan.stable), .number(scan.divergent), .text(scan.outcome.rawValue),
                                  .integer(scan.switches.count), .number(scan.firstDivergentRate)])
                for (rate, diverged) in zip(scan.rates, scan.diverged) {
                    scanTable.append([.text(label), .text(cell.optimizer.rawValue), .integer(cell.seed), .integer(cell.batchSize),
                                      .number(rate), .integer(diverged ? 1 : 0)])
                }
            }
        }
        context.progress.update(done: parameters.models.count, total: parameters.models.count, detail: "done")
        output.tables = ["lr_max.csv": lrTable, "lr_max_by_seed.csv": seedTable, "lr_scan.csv": scanTable, "hessian.csv": hessianTable]
        output.notes["divergence"] = "non-finite loss, a batch loss above 1e6 × the initial full-data loss, or a final full-data loss above \(parameters.divergenceFactor) × the initial one"
        output.notes["lr_max"] = "the first rate of a geometric scan (\(parameters.scanPointsPerDecade) per decade) at which training diverges, refined by \(parameters.refinementSteps) halvings; cells whose stability switches more than once have no value"
        output.notes["hessian_point"] = "initial parameters of seed 0; Hv by central differences of gradients; top eigenvalue by Lanczos"
        return output
    }

    /// The model's training set, drawn from the run's streams (or, for `fashion-mnist`, read from
    /// Debian's data set package and subsampled from the streams).
    static func dataset(_ kind: ModelKind, parameters p: Parameters, streams: RandomStreams) throws -> Dataset {
        switch kind {
        case .mlp, .mlpSoftplus:
            // Both MLPs see the same data (the tanh teacher's), so they differ only in φ.
            return TeacherStudentData.regression(
                samples: p.samples, dimension: p.inputDimension, teacherHidden: p.teacherHiddenUnits,
                noise: p.labelNoise, streams: streams, prefix: "mlp")
        case .logistic:
            return TeacherStudentData.classification(
                samples: p.samples, dimension: p.logisticInputDimension, teacherScale: 3, streams: streams, prefix: kind.rawValue)
        case .fashionMNIST:
            let images = try FashionMNISTSource.trainingImages()
            return FashionMNISTTask.dataset(
                pixels: images.pixels, labels: images.labels, side: images.side, samples: p.samples, pooling: p.imagePooling,
                stream: streams.stream("\(kind.rawValue)/data/subset"))
        }
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

    /// Rows of the lr_max figure: the geometric mean with its interval, the mean fitted exponent α,
    /// the saturating law with the seeds' mean α and geometric-mean B* and c, and (SGD) the
    /// branch-correct prediction λ₁/λ'₁ scaled to that law's plateau.
    static func appendRates(
        _ rates: LearningRateStudy, label: String, parameters p: Parameters, theory: SpikedBatchHessianTheory?, to table: inout CSVTable
    ) {
        for optimizer in p.optimizers {
            let fits = rates.fits(optimizer, seeds: p.seeds, sizes: p.batchSizes).compactMap { $0 }
            let exponent = SeedStatistics.mean(fits.map(\.exponent)).value
            let crossover = SeedStatistics.geometricMeanNumeric(fits.map(\.crossover)).value
            let plateau = SeedStatistics.geometricMeanNumeric(fits.map(\.plateau)).value
            let law = SaturatingLaw(plateau: plateau, crossover: crossover, exponent: exponent, rmsLogResidual: .nan, position: .interior)
            for b in p.batchSizes {
                let values = (0..<p.seeds).map { rates.rates(optimizer, seed: $0, sizes: [b])[0] }
                let metric = SeedStatistics.geometricMean(values)
                let predicted = optimizer == .sgd ? (theory.map { plateau * $0.predictedRelativeRate(batchSize: b) } ?? .nan) : .nan
                table.append([.text(label), .text(optimizer.rawValue), .integer(b), .number(metric.value),
                              .number(metric.interval?.lower ?? .nan), .number(metric.interval?.upper ?? .nan), .number(exponent),
                              .number(law.rate(batchSize: Double(b))), .number(predicted)])
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
