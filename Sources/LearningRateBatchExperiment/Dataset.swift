import HarnessCore
import LinearAlgebra

/// A fixed training set: N inputs (rows of an N × d matrix) and one target per input.
///
/// Granziol et al. (2020, Sec. 2) write the empirical loss as the mean of per-sample losses
/// over this set; its Hessian is the "empirical Hessian" and a mini-batch's is the "batch Hessian".
public struct Dataset: Sendable {
    public let inputs: Matrix
    /// Regression targets, or labels in {0, 1} for the classifier.
    public let targets: [Double]

    public var count: Int { inputs.rows }
    public var dimension: Int { inputs.columns }

    public init(inputs: Matrix, targets: [Double]) {
        precondition(inputs.rows == targets.count, "dataset: \(inputs.rows) inputs but \(targets.count) targets")
        self.inputs = inputs
        self.targets = targets
    }

    /// The rows `indices`, in that order, as a batch of their own.
    public func batch(_ indices: [Int]) -> Dataset {
        let d = dimension
        var elements = [Double](repeating: 0, count: indices.count * d)
        inputs.elements.withUnsafeBufferPointer { source in
            elements.withUnsafeMutableBufferPointer { target in
                for (row, index) in indices.enumerated() {
                    for j in 0..<d { target[row * d + j] = source[index * d + j] }
                }
            }
        }
        return Dataset(inputs: Matrix(rows: indices.count, columns: d, elements: elements), targets: indices.map { targets[$0] })
    }
}

/// Synthetic teacher–student data (the stand-in for the paper's CIFAR/ImageNet):
/// inputs x ~ N(0, I_d), targets from a fixed random teacher. Everything is drawn from the
/// run's streams, so the same seed gives the same data.
///
/// The data set is an input: its `data_checksum` is an `exact` metric. So the teachers are
/// evaluated here with plain loops in a fixed order and `PortableMath`, never through BLAS (whose
/// kernels, thread split and fused multiply-adds change the last bits) or the C maths library.
public enum TeacherStudentData {
    /// y = teacher MLP(x) + noise·ε, teacher = tanh MLP with `teacherHidden` units and weights
    /// of variance 1/fan-in, ε ~ N(0, 1).
    public static func regression(
        samples n: Int, dimension d: Int, teacherHidden: Int, noise: Double, streams: RandomStreams, prefix: String = "mlp"
    ) -> Dataset {
        let inputs = Matrix(rows: n, columns: d, elements: streams.stream("\(prefix)/data/inputs").normals(n * d))
        let teacher = TwoLayerMLP(inputDimension: d, hiddenUnits: teacherHidden)
        var parameters = teacher.initialParameters(streams.stream("\(prefix)/data/teacher"))
        // A teacher with unit-scale output weights, so the signal is not drowned by the noise.
        for k in teacher.outputWeightRange { parameters[k] *= Double(teacherHidden).squareRoot() }
        let clean = teacherOutputs(teacher, parameters, inputs: inputs)
        let epsilon = streams.stream("\(prefix)/data/noise").normals(n)
        return Dataset(inputs: inputs, targets: (0..<n).map { clean[$0] + noise * epsilon[$0] })
    }

    /// Labels y ∈ {0, 1} with P(y = 1 | x) = sigmoid(w*·x), w* ~ N(0, `teacherScale`²/d · I).
    public static func classification(
        samples n: Int, dimension d: Int, teacherScale: Double, streams: RandomStreams, prefix: String = "logistic"
    ) -> Dataset {
        let inputs = Matrix(rows: n, columns: d, elements: streams.stream("\(prefix)/data/inputs").normals(n * d))
        let teacher = streams.stream("\(prefix)/data/teacher").normals(d).map { $0 * teacherScale / Double(d).squareRoot() }
        let coins = streams.stream("\(prefix)/data/labels").uniforms(n)
        return Dataset(inputs: inputs, targets: (0..<n).map { i in
            let logit = dot(inputs, row: i, teacher)
            return coins[i] < 1 / (1 + PortableMath.exp(-logit)) ? 1 : 0
        })
    }

    /// The tanh teacher's outputs f(x) = b₂ + Σⱼ w₂ⱼ tanh(b₁ⱼ + Σₖ W₁ⱼₖ xₖ), each sum in index order.
    static func teacherOutputs(_ teacher: TwoLayerMLP, _ parameters: [Double], inputs: Matrix) -> [Double] {
        precondition(teacher.activation == .tanh, "the teacher is a tanh network")
        let (d, h) = (teacher.inputDimension, teacher.hiddenUnits)
        let hiddenBias = teacher.hiddenBiasRange.lowerBound, outputWeight = teacher.outputWeightRange.lowerBound
        return (0..<inputs.rows).map { i in
            var output = parameters[teacher.outputBiasIndex]
            for j in 0..<h {
                var preActivation = parameters[hiddenBias + j]
                for k in 0..<d { preActivation += parameters[j * d + k] * inputs.elements[i * d + k] }
                output += parameters[outputWeight + j] * PortableMath.tanh(preActivation)
            }
            return output
        }
    }

    /// Σₖ xᵢₖ wₖ in index order.
    static func dot(_ inputs: Matrix, row i: Int, _ weights: [Double]) -> Double {
        let d = inputs.columns
        var sum = 0.0
        for k in 0..<d { sum += inputs.elements[i * d + k] * weights[k] }
        return sum
    }
}
