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

extension ExperimentRegistry {
    /// The experiment `declaration` names among `experiments`, or an error naming the file and key.
    static func experiment(for declaration: SuiteDeclaration, in experiments: [RegisteredExperiment] = all) throws -> RegisteredExperiment {
        guard let experiment = experiments.first(where: { $0.id == declaration.experiment }) else {
            throw ManifestError(
                file: declaration.file, keyPath: "experiment", problem: "unknown experiment \"\(declaration.experiment)\"",
                hint: "registered experiments: \(experiments.map(\.id.rawValue).sorted().joined(separator: ", "))")
        }
        return experiment
    }
}
