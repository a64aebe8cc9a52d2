import Foundation

/// The MLP's gradient written as plain per-sample loops, with no BLAS: the baseline the
/// benchmark times the GEMM version against, and an independent check of it in the tests.
extension TwoLayerMLP {
    public func referenceLossAndGradient(_ parameters: [Double], on batch: Dataset) -> (loss: Double, gradient: [Double]) {
        let (d, h, count) = (inputDimension, hiddenUnits, batch.count)
        var gradient = [Double](repeating: 0, count: parameterCount)
        var sum = 0.0
        var hidden = [Double](repeating: 0, count: h)
        let x = batch.inputs.elements
        for i in 0..<count {
            var f = parameters[outputBiasIndex]
            for j in 0..<h {
                var z = parameters[h * d + j]
                for k in 0..<d { z += parameters[j * d + k] * x[i * d + k] }
                hidden[j] = activation(z)
                f += parameters[outputWeightRange.lowerBound + j] * hidden[j]
            }
            let r = f - batch.targets[i]
            sum += r * r
            let scaled = r / Double(count)
            gradient[outputBiasIndex] += scaled
            for j in 0..<h {
                gradient[outputWeightRange.lowerBound + j] += scaled * hidden[j]
                let delta = scaled * parameters[outputWeightRange.lowerBound + j] * activation.derivative(fromActivation: hidden[j])
                gradient[h * d + j] += delta
                for k in 0..<d { gradient[j * d + k] += delta * x[i * d + k] }
            }
        }
        return (0.5 * sum / Double(count), gradient)
    }
}
