import HarnessCore

/// One preset of the `lr-batch` suite, decoded strictly from `[presets.<name>]`.
public struct LearningRateBatchParameters: Encodable, Sendable {
    public var models: [ModelKind]
    /// N, the training-set size.
    public var samples: Int
    /// d and h of the MLP student; the teacher has `teacherHiddenUnits` tanh units.
    public var inputDimension: Int
    public var hiddenUnits: Int
    public var teacherHiddenUnits: Int
    public var labelNoise: Double
    /// d of the logistic-regression control.
    public var logisticInputDimension: Int
    public var batchSizes: [Int]
    public var optimizers: [OptimizerKind]
    /// Independent initialisations and batch orders per (model, optimiser, B).
    public var seeds: Int
    public var trainingSteps: Int
    /// k of the divergence rule (StabilityTest).
    public var divergenceFactor: Double
    public var bisectionSteps: Int
    public var sgdLearningRateBounds: [Double]
    public var adamLearningRateBounds: [Double]
    public var adam: AdamSettings
    /// Batches whose Hessian's top eigenvalue is averaged, per B.
    public var hessianBatches: Int
    public var lanczosSteps: Int
    /// Single-sample Hessians (per probe, 4 probes) behind the noise-variance estimate σ².
    public var varianceSamples: Int
    /// The slope claims fit B ≤ this (noise-dominated range) …
    public var noiseDominatedMaxBatch: Int
    /// … and B ≥ this (saturation range).
    public var saturationMinBatch: Int

    enum CodingKeys: String, CodingKey {
        case models, samples, inputDimension = "input_dimension", hiddenUnits = "hidden_units"
        case teacherHiddenUnits = "teacher_hidden_units", labelNoise = "label_noise"
        case logisticInputDimension = "logistic_input_dimension", batchSizes = "batch_sizes", optimizers, seeds
        case trainingSteps = "training_steps", divergenceFactor = "divergence_factor", bisectionSteps = "bisection_steps"
        case sgdLearningRateBounds = "sgd_lr_bounds", adamLearningRateBounds = "adam_lr_bounds", adam
        case hessianBatches = "hessian_batches", lanczosSteps = "lanczos_steps", varianceSamples = "variance_samples"
        case noiseDominatedMaxBatch = "noise_dominated_max_batch", saturationMinBatch = "saturation_min_batch"
    }

    public func bounds(_ optimizer: OptimizerKind) -> (lower: Double, upper: Double) {
        let pair = optimizer == .sgd ? sgdLearningRateBounds : adamLearningRateBounds
        return (pair[0], pair[1])
    }

    public var noiseDominatedBatches: [Int] { batchSizes.filter { $0 <= noiseDominatedMaxBatch } }
    public var saturationBatches: [Int] { batchSizes.filter { $0 >= saturationMinBatch } }

    public static func decode(_ table: ParameterTable) throws -> LearningRateBatchParameters {
        let p = LearningRateBatchParameters(
            models: try table.required("models"),
            samples: try table.required("samples"),
            inputDimension: try table.required("input_dimension"),
            hiddenUnits: try table.required("hidden_units"),
            teacherHiddenUnits: try table.value("teacher_hidden_units", default: 4),
            labelNoise: try table.value("label_noise", default: 0.1),
            logisticInputDimension: try table.required("logistic_input_dimension"),
            batchSizes: try table.required("batch_sizes"),
            optimizers: try table.required("optimizers"),
            seeds: try table.required("seeds"),
            trainingSteps: try table.required("training_steps"),
            divergenceFactor: try table.value("divergence_factor", default: 10),
            bisectionSteps: try table.required("bisection_steps"),
            sgdLearningRateBounds: try table.required("sgd_lr_bounds"),
            adamLearningRateBounds: try table.required("adam_lr_bounds"),
            adam: AdamSettings(
                beta1: try table.value("adam_beta1", default: 0.9), beta2: try table.value("adam_beta2", default: 0.999),
                epsilon: try table.value("adam_epsilon", default: 1e-8)),
            hessianBatches: try table.required("hessian_batches"),
            lanczosSteps: try table.value("lanczos_steps", default: 30),
            varianceSamples: try table.value("variance_samples", default: 64),
            noiseDominatedMaxBatch: try table.required("noise_dominated_max_batch"),
            saturationMinBatch: try table.required("saturation_min_batch"))
        try table.finish()
        try p.validate(table)
        try LearningRateBatchExperiment.checkBounds(p, table)
        return p
    }

    func validate(_ table: ParameterTable) throws {
        if models.isEmpty { throw table.error("models", "name at least one model") }
        if optimizers.isEmpty { throw table.error("optimizers", "name at least one optimiser") }
        if !(16...1_000_000).contains(samples) { throw table.error("samples", "must be in 16…1000000, got \(samples)") }
        for (key, value) in [("input_dimension", inputDimension), ("hidden_units", hiddenUnits),
                             ("teacher_hidden_units", teacherHiddenUnits), ("logistic_input_dimension", logisticInputDimension)]
        where !(1...4096).contains(value) {
            throw table.error(key, "must be in 1…4096, got \(value)")
        }
        if !(labelNoise >= 0 && labelNoise.isFinite) { throw table.error("label_noise", "must be non-negative, got \(labelNoise)") }
        if batchSizes.count < 3 { throw table.error("batch_sizes", "name at least three batch sizes (slopes need a range)") }
        if let bad = batchSizes.first(where: { $0 < 1 || $0 > samples }) {
            throw table.error("batch_sizes", "batch size \(bad) is outside 1…\(samples) (B cannot exceed the \(samples) samples)",
                              hint: "lower it, or raise `samples`")
        }
        if batchSizes != batchSizes.sorted() || Set(batchSizes).count != batchSizes.count {
            throw table.error("batch_sizes", "list distinct batch sizes in increasing order")
        }
        if seeds < 2 { throw table.error("seeds", "need at least 2 seeds for a confidence interval, got \(seeds)") }
        if trainingSteps < 1 { throw table.error("training_steps", "must be at least 1") }
        if !(divergenceFactor > 1 && divergenceFactor.isFinite) {
            throw table.error("divergence_factor", "k must be > 1 (diverged = loss above k × its initial value), got \(divergenceFactor)")
        }
        if !(0...40).contains(bisectionSteps) { throw table.error("bisection_steps", "must be in 0…40, got \(bisectionSteps)") }
        for (key, pair) in [("sgd_lr_bounds", sgdLearningRateBounds), ("adam_lr_bounds", adamLearningRateBounds)] {
            guard pair.count == 2 else { throw table.error(key, "give [lower, upper], got \(pair.count) values") }
            guard pair[0] > 0, pair[1].isFinite, pair[0] < pair[1] else {
                throw table.error(key, "bounds out of order or not positive: need 0 < lower < upper, got \(pair)")
            }
        }
        if !(0 <= adam.beta1 && adam.beta1 < 1) { throw table.error("adam_beta1", "must be in [0, 1), got \(adam.beta1)") }
        if !(0 <= adam.beta2 && adam.beta2 < 1) { throw table.error("adam_beta2", "must be in [0, 1), got \(adam.beta2)") }
        if !(adam.epsilon > 0) { throw table.error("adam_epsilon", "must be positive, got \(adam.epsilon)") }
        if hessianBatches < 2 { throw table.error("hessian_batches", "need at least 2 batches per size for an interval") }
        if lanczosSteps < 2 { throw table.error("lanczos_steps", "must be at least 2") }
        if varianceSamples < 1 { throw table.error("variance_samples", "must be at least 1") }
        if noiseDominatedBatches.count < 2 {
            throw table.error("noise_dominated_max_batch", "the range B ≤ \(noiseDominatedMaxBatch) holds fewer than two of batch_sizes")
        }
        if saturationBatches.count < 2 {
            throw table.error("saturation_min_batch", "the range B ≥ \(saturationMinBatch) holds fewer than two of batch_sizes")
        }
    }
}
