import Foundation
import HarnessCore

/// Whether training at one learning rate survives a fixed budget, and the largest rate that
/// does (Granziol et al. 2020, Sec. 5–6 ask for the "maximal stable learning rate").
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

/// The outcome of a bisection on log(learning rate).
public struct MaximalLearningRate: Sendable, Equatable {
    public enum Bound: String, Sendable {
        /// The bracket closed on a transition: the estimate is its geometric midpoint.
        case bracketed
        /// Even the upper end of the search range did not diverge: lr_max ≥ estimate.
        case atLeast
        /// Even the lower end diverged: lr_max ≤ estimate.
        case atMost
    }
    /// Largest rate found stable (or the range's end, see `bound`).
    public var stable: Double
    /// Smallest rate found divergent.
    public var divergent: Double
    public var bound: Bound
    /// √(stable · divergent) when bracketed, else the end point reached.
    public var estimate: Double { bound == .bracketed ? (stable * divergent).squareRoot() : (bound == .atLeast ? stable : divergent) }
}

public enum LearningRateBisection {
    /// Bisects log η in [lower, upper] for `iterations` halvings of the bracket, after checking
    /// both ends. Assumes one transition (stable below, divergent above); with several, it finds one.
    public static func search(
        lower: Double, upper: Double, iterations: Int, diverges: (Double) -> Bool
    ) -> MaximalLearningRate {
        precondition(lower > 0 && upper > lower && iterations >= 0, "bisection: need 0 < lower < upper")
        if !diverges(upper) { return MaximalLearningRate(stable: upper, divergent: .infinity, bound: .atLeast) }
        if diverges(lower) { return MaximalLearningRate(stable: 0, divergent: lower, bound: .atMost) }
        var (stable, divergent) = (lower, upper)
        for _ in 0..<iterations {
            let middle = (stable * divergent).squareRoot()
            if diverges(middle) { divergent = middle } else { stable = middle }
        }
        return MaximalLearningRate(stable: stable, divergent: divergent, bound: .bracketed)
    }
}
