import Foundation
import HarnessCore
import LinearAlgebra

/// f(x) = w₂·φ(W₁x + b₁) + b₂ with the squared loss ½(f(x) − y)², averaged over the batch.
///
/// A smooth non-convex model: Granziol et al. (2020) state their results for smooth deep
/// networks (Sec. 1, "smooth, non-convex"), so φ is tanh or softplus, never ReLU.
/// Parameter layout: W₁ (h × d, row-major), b₁ (h), w₂ (h), b₂ (1).
public struct TwoLayerMLP: TrainableModel {
    /// The hidden activation φ. tanh saturates; softplus is unbounded above.
    public enum Activation: String, Sendable {
        case tanh, softplus

        func callAsFunction(_ z: Double) -> Double {
            switch self {
            case .tanh: return Foundation.tanh(z)
            case .softplus: return LogisticRegression.softplus(z)
            }
        }

        /// φ′ written in terms of a = φ(z): tanh′ = 1 − a², softplus′ = sigmoid(z) = 1 − e^{−a}.
        func derivative(fromActivation a: Double) -> Double {
            switch self {
            case .tanh: return 1 - a * a
            case .softplus: return -expm1(-a)
            }
        }
    }

    public let inputDimension: Int
    public let hiddenUnits: Int
    public let activation: Activation

    public init(inputDimension: Int, hiddenUnits: Int, activation: Activation = .tanh) {
        precondition(inputDimension >= 1 && hiddenUnits >= 1, "MLP dimensions must be positive")
        self.inputDimension = inputDimension
        self.hiddenUnits = hiddenUnits
        self.activation = activation
    }

    public var parameterCount: Int { hiddenUnits * inputDimension + 2 * hiddenUnits + 1 }
    var hiddenBiasRange: Range<Int> { hiddenUnits * inputDimension ..< hiddenUnits * (inputDimension + 1) }
    var outputWeightRange: Range<Int> { hiddenUnits * (inputDimension + 1) ..< hiddenUnits * (inputDimension + 2) }
    var outputBiasIndex: Int { parameterCount - 1 }

    /// W₁ ~ N(0, 1/d), w₂ ~ N(0, 1/h), biases zero (LeCun initialisation).
    public func initialParameters(_ stream: RandomStream) -> [Double] {
        let (d, h) = (inputDimension, hiddenUnits)
        let normals = stream.normals(h * d + h)
        var parameters = [Double](repeating: 0, count: parameterCount)
        for k in 0..<(h * d) { parameters[k] = normals[k] / Double(d).squareRoot() }
        for (j, k) in outputWeightRange.enumerated() { parameters[k] = normals[h * d + j] / Double(h).squareRoot() }
        return parameters
    }

    /// Hidden activations A = φ(X W₁ᵀ + b₁) (B × h) and outputs f = A w₂ + b₂.
    func forward(_ parameters: [Double], inputs: Matrix) -> (activations: Matrix, outputs: [Double]) {
        let (d, h) = (inputDimension, hiddenUnits)
        precondition(parameters.count == parameterCount, "MLP: \(parameters.count) parameters, expected \(parameterCount)")
        precondition(inputs.columns == d, "MLP: inputs have \(inputs.columns) columns, expected \(d)")
        let firstLayer = Matrix(rows: h, columns: d, elements: Array(parameters[0..<(h * d)]))
        var activations = BLAS.gemm(.none, .transposed, inputs, firstLayer)
        activations.elements.withUnsafeMutableBufferPointer { a in
            parameters.withUnsafeBufferPointer { p in
                for row in 0..<inputs.rows {
                    for j in 0..<h { a[row * h + j] = activation(a[row * h + j] + p[h * d + j]) }
                }
            }
        }
        var outputs = [Double](repeating: parameters[outputBiasIndex], count: inputs.rows)
        BLAS.gemv(.none, activations, Array(parameters[outputWeightRange]), beta: 1, &outputs)
        return (activations, outputs)
    }

    public func outputs(_ parameters: [Double], inputs: Matrix) -> [Double] { forward(parameters, inputs: inputs).outputs }

    public func loss(_ parameters: [Double], on batch: Dataset) -> Double {
        let f = forward(parameters, inputs: batch.inputs).outputs
        var sum = 0.0
        for i in 0..<batch.count { sum += (f[i] - batch.targets[i]) * (f[i] - batch.targets[i]) }
        return 0.5 * sum / Double(batch.count)
    }

    /// Backpropagation: r = (f − y)/B; ∇w₂ = Aᵀr, ∇b₂ = Σr; Δ = (r w₂ᵀ) ⊙ φ′;
    /// ∇W₁ = Δᵀ X (one GEMM), ∇b₁ = column sums of Δ.
    public func lossAndGradient(_ parameters: [Double], on batch: Dataset) -> (loss: Double, gradient: [Double]) {
        let (d, h, count) = (inputDimension, hiddenUnits, batch.count)
        let (activations, f) = forward(parameters, inputs: batch.inputs)
        var residuals = [Double](repeating: 0, count: count)
        var sum = 0.0
        for i in 0..<count {
            let r = f[i] - batch.targets[i]
            sum += r * r
            residuals[i] = r / Double(count)
        }
        var gradient = [Double](repeating: 0, count: parameterCount)
        let outputWeights = Array(parameters[outputWeightRange])
        let outputGradient = BLAS.gemv(.transposed, activations, residuals)
        for (j, k) in outputWeightRange.enumerated() { gradient[k] = outputGradient[j] }
        gradient[outputBiasIndex] = residuals.reduce(0, +)

        var delta = activations
        delta.elements.withUnsafeMutableBufferPointer { a in
            for i in 0..<count {
                for j in 0..<h {
                    let value = a[i * h + j]
                    a[i * h + j] = residuals[i] * outputWeights[j] * activation.derivative(fromActivation: value)
                }
            }
        }
        let firstLayerGradient = BLAS.gemm(.transposed, .none, delta, batch.inputs)
        for k in 0..<(h * d) { gradient[k] = firstLayerGradient.elements[k] }
        for i in 0..<count {
            for j in 0..<h { gradient[h * d + j] += delta.elements[i * h + j] }
        }
        return (0.5 * sum / Double(count), gradient)
    }
}
