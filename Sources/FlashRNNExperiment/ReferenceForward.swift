/// The reference forward pass: plain loops in the scalar type `S` (Float64 in the tests and the
/// experiment), R·h computed per head by a dot product in ascending order, then the pointwise
/// step (FlashRNN's recurrence, Sec. 2). Slow and obvious, the yardstick for the fast paths.
public enum ReferenceForward {
    public static func run<S: CellScalar>(_ problem: RNNProblem, as type: S.Type = Double.self) -> RNNOutput<S> {
        let shape = problem.shape, cell = shape.cell
        let (b, n, d, gr) = (shape.batch, shape.heads, shape.headDim, cell.recurrentGates)
        let hidden = shape.hidden
        let wx = problem.inputs.map { S($0) }, r = problem.recurrent.map { S($0) }, bias = problem.bias.map { S($0) }
        var state = [S](repeating: 0, count: shape.stateCount)
        var outputs = [S](repeating: 0, count: shape.outputCount)
        // Ry of one step: [B][N][G_R][D].
        var ry = [S](repeating: 0, count: b * n * gr * d)
        for t in 0..<shape.steps {
            for batch in 0..<b {
                for head in 0..<n {
                    for gate in 0..<gr {
                        for j in 0..<d {
                            var sum: S = 0
                            for k in 0..<d {
                                sum += r[((head * d + k) * gr + gate) * d + j] * state[batch * hidden + head * d + k]
                            }
                            ry[((batch * n + head) * gr + gate) * d + j] = sum
                        }
                    }
                }
            }
            wx.withUnsafeBufferPointer { wx in
                ry.withUnsafeBufferPointer { ry in
                    bias.withUnsafeBufferPointer { bias in
                        state.withUnsafeMutableBufferPointer { state in
                            for batch in 0..<b {
                                for head in 0..<n {
                                    for j in 0..<d {
                                        let element = head * d + j
                                        CellPointwise.update(
                                            cell,
                                            wx: wx.baseAddress! + (t * b + batch) * cell.inputGates * hidden + element, wxStride: hidden,
                                            ry: ry.baseAddress! + (batch * n + head) * gr * d + j, ryStride: d,
                                            bias: bias.baseAddress! + element, biasStride: hidden,
                                            state: state.baseAddress! + batch * hidden + element, stateStride: b * hidden)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<(b * hidden) { outputs[t * b * hidden + i] = state[i] }
        }
        return RNNOutput(outputs: outputs, finalStates: state)
    }
}
