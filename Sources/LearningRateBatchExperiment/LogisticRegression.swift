import Foundation
import HarnessCore
import LinearAlgebra

/// Logistic regression, p(y = 1 | x) = sigmoid(w·x + b), with the mean cross-entropy loss:
/// the convex control of the suite (its Hessian is Xᵀ diag(p(1 − p)) X / B, positive semidefinite).
/// Parameter layout: w (d), b (1).
public struct LogisticRegression: TrainableModel {
    public let inputDimension: Int

    public init(inputDimension: Int) {
        precondition(inputDimension >= 1, "logistic regression needs at least one input")
        self.inputDimension = inputDimension
    }

    public var parameterCount: Int { inputDimension + 1 }

    /// w ~ N(0, 1/d) (small logits at the start), b = 0.
    public func initialParameters(_ stream: RandomStream) -> [Double] {
        stream.normals(inputDimension).map { $0 / Double(inputDimension).squareRoot() } + [0]
    }

    func logits(_ parameters: [Double], inputs: Matrix) -> [Double] {
        precondition(parameters.count == parameterCount, "logistic: \(parameters.count) parameters, expected \(parameterCount)")
        precondition(inputs.columns == inputDimension, "logistic: inputs have \(inputs.columns) columns, expected \(inputDimension)")
        var z = [Double](repeating: parameters[inputDimension], count: inputs.rows)
        BLAS.gemv(.none, inputs, Array(parameters[0..<inputDimension]), beta: 1, &z)
        return z
    }

    /// −log sigmoid(±z) = softplus(∓z), computed without overflow.
    static func softplus(_ z: Double) -> Double { z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)) }

    public func loss(_ parameters: [Double], on batch: Dataset) -> Double {
        let z = logits(parameters, inputs: batch.inputs)
        var sum = 0.0
        for i in 0..<batch.count { sum += Self.softplus(z[i]) - batch.targets[i] * z[i] }
        return sum / Double(batch.count)
    }

    /// ∇w = Xᵀ(p − y)/B, ∇b = Σ(p − y)/B.
    public func lossAndGradient(_ parameters: [Double], on batch: Dataset) -> (loss: Double, gradient: [Double]) {
        let z = logits(parameters, inputs: batch.inputs)
        var sum = 0.0
        var residuals = [Double](repeating: 0, count: batch.count)
        for i in 0..<batch.count {
            sum += Self.softplus(z[i]) - batch.targets[i] * z[i]
            residuals[i] = (1 / (1 + exp(-z[i])) - batch.targets[i]) / Double(batch.count)
        }
        let weights = BLAS.gemv(.transposed, batch.inputs, residuals)
        return (sum / Double(batch.count), weights + [residuals.reduce(0, +)])
    }
}
