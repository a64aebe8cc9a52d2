import HarnessCore

/// Inputs and weights of one forward pass, in the layouts of `RNNShape`, as Float32 (what the
/// three implementations read) and the same values widened to Float64 (what the reference reads),
/// so that a comparison measures arithmetic error only.
public struct RNNProblem: Sendable {
    public let shape: RNNShape
    public let inputs: [Float]
    public let recurrent: [Float]
    public let bias: [Float]

    /// Checks sizes, gate counts and finiteness; the error names the tensor and what to fix.
    public init(shape: RNNShape, inputs: [Float], recurrent: [Float], bias: [Float]) throws {
        let cell = shape.cell
        let perGateInput = shape.steps * shape.batch * shape.hidden
        let perGateRecurrent = shape.heads * shape.headDim * shape.headDim
        let perGateBias = shape.hidden
        for (name, count, perGate, expected) in [("Wx", inputs.count, perGateInput, cell.inputGates),
                                                 ("R", recurrent.count, perGateRecurrent, cell.recurrentGates),
                                                 ("b", bias.count, perGateBias, cell.biasGates)] where count != perGate * expected {
            if count % perGate == 0 {
                throw RNNInputError.wrongGateCount(tensor: name, cell: cell, found: count / perGate, expected: expected)
            }
            throw RNNInputError.wrongSize(tensor: name, found: count, expected: perGate * expected)
        }
        for (name, values) in [("Wx", inputs), ("R", recurrent), ("b", bias)] {
            if let index = values.firstIndex(where: { !$0.isFinite }) { throw RNNInputError.nonFinite(tensor: name, index: index) }
        }
        self.shape = shape
        self.inputs = inputs
        self.recurrent = recurrent
        self.bias = bias
    }

    /// A random problem from the run's streams: Wx ~ N(0, inputScale²), R ~ N(0, 1/D) so that a
    /// head's recurrent product keeps unit scale, b ~ N(0, 0.1²). Stream names carry the cell
    /// and shape, so each configuration's draws are independent of which others run; `draw`
    /// selects one of many independent problems of the same shape (the stream's replicate word).
    public static func random(_ shape: RNNShape, streams: RandomStreams, inputScale: Double = 1, draw: Int = 0) throws -> RNNProblem {
        let label = "rnn/\(shape.cell.rawValue)/B=\(shape.batch)/T=\(shape.steps)/N=\(shape.heads)/D=\(shape.headDim)"
        let recurrentScale = 1 / Double(shape.headDim).squareRoot()
        let replicate = draw
        func normals(_ name: String, _ count: Int, _ scale: Double) -> [Float] {
            streams.stream("\(label)/\(name)", replicate: replicate).normals(count).map { Float($0 * scale) }
        }
        return try RNNProblem(
            shape: shape, inputs: normals("Wx", shape.inputCount, inputScale),
            recurrent: normals("R", shape.recurrentCount, recurrentScale), bias: normals("b", shape.biasCount, 0.1))
    }

    /// A checksum of the Float32 bits of Wx, R and b in that order, exact on any machine
    /// (`BitChecksum`; the draws are portable normals rounded once to Float32).
    public var inputChecksum: Double {
        var checksum = BitChecksum()
        checksum.add(inputs)
        checksum.add(recurrent)
        checksum.add(bias)
        return checksum.value
    }
}

/// What a forward pass returns: h at every step ([T][B][N][D]) and the final states ([S][B][N][D]).
public struct RNNOutput<S: CellScalar>: Sendable {
    public var outputs: [S]
    public var finalStates: [S]
}
