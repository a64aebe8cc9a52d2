import Foundation
import HarnessCore

/// The optimisers whose maximal stable learning rate the suite measures
/// (Granziol et al. 2020, Sec. 5: SGD, linear scaling; Sec. 6: Adam, square-root scaling).
public enum OptimizerKind: String, ManifestEnum, Encodable, Sendable {
    case sgd
    case adam
}

/// Adam's fixed hyper-parameters (Kingma & Ba 2015, Alg. 1).
public struct AdamSettings: Encodable, Sendable, Equatable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// One optimiser's state over a run: plain SGD (w ← w − η g), or Adam with bias correction.
public struct OptimizerState {
    public let kind: OptimizerKind
    public let learningRate: Double
    public let adam: AdamSettings
    private var firstMoment: [Double] = []
    private var secondMoment: [Double] = []
    private var step = 0

    public init(_ kind: OptimizerKind, learningRate: Double, adam: AdamSettings, parameterCount: Int) {
        self.kind = kind
        self.learningRate = learningRate
        self.adam = adam
        if kind == .adam {
            firstMoment = [Double](repeating: 0, count: parameterCount)
            secondMoment = [Double](repeating: 0, count: parameterCount)
        }
    }

    /// Applies one update with gradient `g` to `parameters`.
    public mutating func update(_ parameters: inout [Double], gradient g: [Double]) {
        precondition(parameters.count == g.count, "optimizer: gradient length \(g.count) ≠ \(parameters.count) parameters")
        switch kind {
        case .sgd:
            for k in parameters.indices { parameters[k] -= learningRate * g[k] }
        case .adam:
            step += 1
            let (b1, b2) = (adam.beta1, adam.beta2)
            let correction1 = 1 - pow(b1, Double(step)), correction2 = 1 - pow(b2, Double(step))
            for k in parameters.indices {
                firstMoment[k] = b1 * firstMoment[k] + (1 - b1) * g[k]
                secondMoment[k] = b2 * secondMoment[k] + (1 - b2) * g[k] * g[k]
                let mHat = firstMoment[k] / correction1, vHat = secondMoment[k] / correction2
                parameters[k] -= learningRate * mHat / (vHat.squareRoot() + adam.epsilon)
            }
        }
    }
}
