import FlashRNNExperiment
import HarnessCore
import KernelDensityExperiment
import LearningRateBatchExperiment
import SinkhornExperiment

/// The one place where every experiment is registered: `experiment = "<id>"` in a suite
/// declaration selects one of these.
public enum ExperimentRegistry {
    public static let all: [RegisteredExperiment] = [
        RegisteredExperiment(SinkhornConvergenceExperiment.self),
        RegisteredExperiment(KernelDensityRegimesExperiment.self),
        RegisteredExperiment(LearningRateBatchExperiment.self),
        RegisteredExperiment(FlashRNNThroughputExperiment.self),
    ]
}
