import Foundation
import HarnessCore

/// Whether training at one learning rate survives a fixed budget (Granziol et al. 2020, Sec. 5–6
/// ask for the "maximal stable learning rate"; LearningRateScan finds the first rate that fails).
///
/// **Divergence**, precisely: a run of `steps` optimiser steps at batch size B diverges when
/// (a) any mini-batch loss or parameter is not finite, or (b) a mini-batch loss exceeds
/// `abortFactor` × the initial full-data loss (a run that far out is not coming back; this only
/// ends it early), or (c) the full-data loss after the last step exceeds `divergenceFactor` (k)
/// × the full-data loss at initialisation. Every trial starts from the same initial parameters
/// and sees the same batch sequence, so the outcome is a deterministic function of the rate.
public struct StabilityTest: Sendable {
    public var steps: Int
    public var divergenceFactor: Double
    public var abortFactor: Double = 1e6
    public var adam: AdamSettings

    public init(steps: Int, divergenceFactor: Double, adam: AdamSettings) {
        self.steps = steps
        self.divergenceFactor = divergenceFactor
        self.adam = adam
    }

    /// One trial: true when the run diverges.
    public func diverges(
        model: some TrainableModel, data: Dataset, initial: [Double], initialLoss: Double,
        optimizer: OptimizerKind, learningRate: Double, batchSize: Int, batchStream: RandomStream
    ) -> Bool {
        var parameters = initial
        var state = OptimizerState(optimizer, learningRate: learningRate, adam: adam, parameterCount: initial.count)
        var sampler = BatchSampler(sampleCount: data.count, batchSize: batchSize, stream: batchStream)
        for _ in 0..<steps {
            let (loss, gradient) = model.lossAndGradient(parameters, on: data.batch(sampler.next()))
            guard loss.isFinite, loss <= abortFactor * initialLoss else { return true }
            state.update(&parameters, gradient: gradient)
        }
        guard parameters.allSatisfy(\.isFinite) else { return true }
        let final = model.loss(parameters, on: data)
        return !(final.isFinite && final <= divergenceFactor * initialLoss)
    }
}
