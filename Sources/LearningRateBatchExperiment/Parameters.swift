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
    /// The scan's geometric grid (LearningRateScan): this many rates per decade from the lower
    /// to the upper bound of each optimiser's range …
    public var scanPointsPerDecade: Int
    /// … then this many halvings of log η inside the one interval where a monotone cell switched.
    public var refinementSteps: Int
    public var sgdLearningRateBounds: [Double]
    public var adamLearningRateBounds: [Double]
    public var adam: AdamSettings
    /// Batches whose Hessian's top eigenvalue is averaged, per B.
    public var hessianBatches: Int
    public var lanczosSteps: Int
    /// Single-sample Hessians (per probe, 4 probes) behind the noise-variance estimate σ².
    public var varianceSamples: Int
    /// The window B ≤ this, where the diagnostic log–log slopes (measured and predicted) are taken.
    public var noiseDominatedMaxBatch: Int
    /// Fashion-MNIST model: images are average-pooled over `imagePooling` × `imagePooling` pixel
    /// blocks (2: 28×28 → 14×14) and fed to an MLP with this many tanh hidden units.
    public var imagePooling: Int
    public var imageHiddenUnits: Int

    enum CodingKeys: String, CodingKey {
        case models, samples, inputDimension = "input_dimension", hiddenUnits = "hidden_units"
        case teacherHiddenUnits = "teacher_hidden_units", labelNoise = "label_noise"
        case logisticInputDimension = "logistic_input_dimension", batchSizes = "batch_sizes", optimizers, seeds
        case trainingSteps = "training_steps", divergenceFactor = "divergence_factor"
        case scanPointsPerDecade = "scan_points_per_decade", refinementSteps = "refinement_steps"
        case sgdLearningRateBounds = "sgd_lr_bounds", adamLearningRateBounds = "adam_lr_bounds", adam
        case hessianBatches = "hessian_batches", lanczosSteps = "lanczos_steps", varianceSamples = "variance_samples"
        case noiseDominatedMaxBatch = "noise_dominated_max_batch"
        case imagePooling = "image_pooling", imageHiddenUnits = "image_hidden_units"
    }

    public func bounds(_ optimizer: OptimizerKind) -> (lower: Double, upper: Double) {
        let pair = optimizer == .sgd ? sgdLearningRateBounds : adamLearningRateBounds
        return (pair[0], pair[1])
    }

    public var noiseDominatedBatches: [Int] { batchSizes.filter { $0 <= noiseDominatedMaxBatch } }

    /// The scan's grid of learning rates for `optimizer`.
    public func scanGrid(_ optimizer: OptimizerKind) -> [Double] {
        let (lower, upper) = bounds(optimizer)
        return LearningRateScan.grid(lower: lower, upper: upper, pointsPerDecade: scanPointsPerDecade)
    }

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
            scanPointsPerDecade: try table.required("scan_points_per_decade"),
            refinementSteps: try table.required("refinement_steps"),
            sgdLearningRateBounds: try table.required("sgd_lr_bounds"),
            adamLearningRateBounds: try table.required("adam_lr_bounds"),
            adam: AdamSettings(
                beta1: try table.value("adam_beta1", default: 0.9), beta2: try table.value("adam_beta2", default: 0.999),
                epsilon: try table.value("adam_epsilon", default: 1e-8)),
            hessianBatches: try table.required("hessian_batches"),
            lanczosSteps: try table.value("lanczos_steps", default: 30),
            varianceSamples: try table.value("variance_samples", default: 64),
            noiseDominatedMaxBatch: try table.required("noise_dominated_max_batch"),
            imagePooling: try table.value("image_pooling", default: 2),
            imageHiddenUnits: try table.value("image_hidden_units", default: 16))
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
        if batchSizes.count < 4 {
            throw table.error("batch_sizes", "name at least four batch sizes (the saturating law has three parameters)")
        }
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
        if !(1...20).contains(scanPointsPerDecade) {
            throw table.error("scan_points_per_decade", "must be in 1…20, got \(scanPointsPerDecade)")
        }
        if !(0...30).contains(refinementSteps) { throw table.error("refinement_steps", "must be in 0…30, got \(refinementSteps)") }
        for (key, pair) in [("sgd_lr_bounds", sgdLearningRateBounds), ("adam_lr_bounds", adamLearningRateBounds)] {
            guard pair.count == 2 else { throw table.error(key, "give [lower, upper], got \(pair.count) values") }
            guard pair[0] > 0, pair[1].isFinite, pair[0] < pair[1] else {
                throw table.error(key, "bounds out of order or not positive: need 0 < lower < upper, got \(pair)")
            }
            if LearningRateScan.grid(lower: pair[0], upper: pair[1], pointsPerDecade: scanPointsPerDecade).count < 3 {
                throw table.error(key, "the range \(pair) holds fewer than three scan rates at \(scanPointsPerDecade) per decade",
                                  hint: "widen it, or raise `scan_points_per_decade`")
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
        if ![1, 2, 4, 7, 14, 28].contains(imagePooling) {
            throw table.error("image_pooling", "must divide 28 (1, 2, 4, 7, 14 or 28), got \(imagePooling)")
        }
        if !(1...4096).contains(imageHiddenUnits) { throw table.error("image_hidden_units", "must be in 1…4096, got \(imageHiddenUnits)") }
    }
}
