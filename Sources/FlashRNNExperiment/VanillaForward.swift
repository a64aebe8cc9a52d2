import LinearAlgebra

/// The vanilla implementation, the CPU analogue of FlashRNN's "vanilla PyTorch" baseline
/// (Sec. 5, Fig. 1): a loop over time steps in which R·h is one sgemm per head into a freshly
/// allocated tensor, permuted into gate-major order, and every further operation of the cell
/// equations (slice, add, sigmoid, tanh, multiply, …) is a separate pass that allocates its result.
public enum VanillaForward {
    public static func run(_ problem: RNNProblem) -> RNNOutput<Float> {
        let shape = problem.shape, cell = shape.cell
        let (b, n, d, gr) = (shape.batch, shape.heads, shape.headDim, cell.recurrentGates)
        let hidden = shape.hidden, gateWidth = gr * d
        var states = (0..<cell.stateCount).map { _ in [Float](repeating: 0, count: b * hidden) }
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        for t in 0..<shape.steps {
            // R·h per head: [B][N][G_R·D], then permuted to [B][G_R][N·D] (one more allocation).
            var ryHeads = [Float](repeating: 0, count: b * n * gateWidth)
            states[0].withUnsafeBufferPointer { h in
                problem.recurrent.withUnsafeBufferPointer { r in
                    ryHeads.withUnsafeMutableBufferPointer { ry in
                        for head in 0..<n {
                            SinglePrecisionBLAS.gemm(
                                m: b, n: gateWidth, k: d, a: h.baseAddress! + head * d, lda: hidden,
                                b: r.baseAddress! + head * d * gateWidth, ldb: gateWidth,
                                c: ry.baseAddress! + head * gateWidth, ldc: n * gateWidth)
                        }
                    }
                }
            }
            let ry = permuteToGateMajor(ryHeads, batch: b, heads: n, gates: gr, headDim: d)
            let wxOffset = t * b * cell.inputGates * hidden
            func wx(_ g: Int) -> [Float] { EagerOps.gate(problem.inputs, offset: wxOffset, gate: g, gates: cell.inputGates, batch: b, hidden: hidden) }
            func rh(_ g: Int) -> [Float] { EagerOps.gate(ry, gate: g, gates: gr, batch: b, hidden: hidden) }
            func bias(_ g: Int) -> [Float] { EagerOps.broadcastBias(problem.bias, gate: g, batch: b, hidden: hidden) }
            func raw(_ g: Int) -> [Float] { EagerOps.add(EagerOps.add(wx(g), rh(g)), bias(g)) }
            states = step(cell, states: states, raw: raw, wx: wx, rh: rh, bias: bias)
            outputs.replaceSubrange((t * b * hidden)..<((t + 1) * b * hidden), with: states[0])
        }
        return RNNOutput(outputs: outputs, finalStates: states.flatMap { $0 })
    }

    /// One step of the cell equations (`RNNCell`), one eager operation at a time.
    private static func step(
        _ cell: RNNCell, states: [[Float]], raw: (Int) -> [Float],
        wx: (Int) -> [Float], rh: (Int) -> [Float], bias: (Int) -> [Float]
    ) -> [[Float]] {
        typealias E = EagerOps
        switch cell {
        case .lstm:
            let i = E.sigmoid(raw(0)), f = E.sigmoid(raw(1)), z = E.tanh(raw(2)), o = E.sigmoid(raw(3))
            let c = E.add(E.multiply(f, states[1]), E.multiply(i, z))
            return [E.multiply(o, E.tanh(c)), c]
        case .gru:
            let g = E.add(rh(0), bias(0))
            let r = E.sigmoid(E.add(E.add(wx(0), rh(1)), bias(1)))
            let z = E.sigmoid(E.add(E.add(wx(1), rh(2)), bias(2)))
            let n = E.add(wx(2), bias(3))
            let candidate = E.tanh(E.add(n, E.multiply(r, g)))
            return [E.add(E.multiply(z, states[0]), E.multiply(E.oneMinus(z), candidate))]
        case .elman:
            return [E.tanh(raw(0))]
        case .slstm:
            let (c, n, m) = (states[1], states[2], states[3])
            let iRaw = raw(0), fRaw = raw(1), zRaw = raw(2), oRaw = raw(3)
            let logFPlusM = E.add(E.logSigmoid(fRaw), m)
            let mNew = E.whereZero(n, iRaw, E.maximum(iRaw, logFPlusM))
            let i = E.exp(E.subtract(iRaw, mNew))
            // f = 0 while n = 0 (as in `CellPointwise`): c and n are 0 there, and exp may overflow.
            let f = E.whereZero(n, [Float](repeating: 0, count: n.count), E.exp(E.subtract(logFPlusM, mNew)))
            let cNew = E.add(E.multiply(f, c), E.multiply(i, E.tanh(zRaw)))
            let nNew = E.atLeastOne(E.add(E.multiply(f, n), i))
            return [E.divide(E.multiply(E.sigmoid(oRaw), cNew), nNew), cNew, nNew, mNew]
        }
    }

    /// [B][N][G][D] → [B][G][N·D], into a new array.
    private static func permuteToGateMajor(_ x: [Float], batch: Int, heads: Int, gates: Int, headDim: Int) -> [Float] {
        let hidden = heads * headDim
        var out = [Float](repeating: 0, count: x.count)
        for b in 0..<batch {
            for head in 0..<heads {
                for g in 0..<gates {
                    for j in 0..<headDim {
                        out[(b * gates + g) * hidden + head * headDim + j] = x[((b * heads + head) * gates + g) * headDim + j]
                    }
                }
            }
        }
        return out
    }
}
