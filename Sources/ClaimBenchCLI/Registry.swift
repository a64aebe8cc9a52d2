import HarnessCore
import FlashRNNExperiment
import SinkhornExperiment

/// The one place where every experiment is registered: `experiment = "<id>"` in a suite
/// declaration selects one of these.
public enum ExperimentRegistry {
    public static let all: [RegisteredExperiment] = [
        RegisteredExperiment(SinkhornConvergenceExperiment.self),
        RegisteredExperiment(FlashRNNThroughputExperiment.self),
    ]
}
