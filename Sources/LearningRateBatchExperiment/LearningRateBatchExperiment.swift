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
/// Everything runs on one thread; BLAS calls are the only place `--threads` can act. A run is
/// work units per model (Hessians, and one learning-rate scan per optimiser, B and seed),
/// assembled into these metrics (`LearningRateBatchUnits`, `LearningRateBatchReport`).
public enum LearningRateBatchExperiment: Experiment {
    public typealias Parameters = LearningRateBatchParameters

    public static let id: ExperimentID = "lr-batch.scaling"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        try LearningRateBatchParameters.decode(table)
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
