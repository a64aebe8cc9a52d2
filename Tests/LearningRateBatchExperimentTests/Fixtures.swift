import HarnessCore
import LinearAlgebra
@testable import LearningRateBatchExperiment

/// Small shared inputs for the suite's tests.
enum Fixtures {
    static let streams = RandomStreams(seed: 7)

    static func regressionData(samples: Int = 64, dimension: Int = 5) -> Dataset {
        TeacherStudentData.regression(samples: samples, dimension: dimension, teacherHidden: 3, noise: 0.1, streams: streams)
    }

    static func classificationData(samples: Int = 64, dimension: Int = 5) -> Dataset {
        TeacherStudentData.classification(samples: samples, dimension: dimension, teacherScale: 3, streams: streams)
    }

    /// Central difference of the loss along coordinate k.
    static func numericalDerivative(_ model: some TrainableModel, _ w: [Double], _ k: Int, on data: Dataset, step: Double = 1e-5) -> Double {
        var plus = w, minus = w
        plus[k] += step
        minus[k] -= step
        return (model.loss(plus, on: data) - model.loss(minus, on: data)) / (2 * step)
    }

    /// L(w) = ½ Σ_k c_k w_k²: Hessian diag(c), gradient descent stable iff η < 2 / max c.
    struct Quadratic: TrainableModel {
        var curvatures: [Double]
        var parameterCount: Int { curvatures.count }
        func initialParameters(_ stream: RandomStream) -> [Double] { [Double](repeating: 1, count: curvatures.count) }
        func loss(_ w: [Double], on batch: Dataset) -> Double { zip(curvatures, w).reduce(0) { $0 + 0.5 * $1.0 * $1.1 * $1.1 } }
        func lossAndGradient(_ w: [Double], on batch: Dataset) -> (loss: Double, gradient: [Double]) {
            (loss(w, on: batch), zip(curvatures, w).map { $0 * $1 })
        }
    }

    static func presetEntries() -> [String: ManifestValue] {
        [
            "models": .array([.string("mlp"), .string("logistic")]),
            "samples": .integer(256),
            "input_dimension": .integer(6),
            "hidden_units": .integer(4),
            "logistic_input_dimension": .integer(8),
            "batch_sizes": .array([.integer(2), .integer(8), .integer(32), .integer(128)]),
            "optimizers": .array([.string("sgd"), .string("adam")]),
            "seeds": .integer(2),
            "training_steps": .integer(15),
            "scan_points_per_decade": .integer(2),
            "refinement_steps": .integer(2),
            "sgd_lr_bounds": .array([.float(1e-3), .float(1000)]),
            "adam_lr_bounds": .array([.float(1e-5), .float(1000)]),
            "hessian_batches": .integer(2),
            "lanczos_steps": .integer(8),
            "variance_samples": .integer(4),
            "noise_dominated_max_batch": .integer(8),
        ]
    }
}
