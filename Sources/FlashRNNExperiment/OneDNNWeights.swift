/// How our cells' tensors (`RNNShape`'s layouts, `RNNCell`'s gate orders) map onto oneDNN's RNN
/// primitives (oneDNN 2.x "RNN" primitive documentation: plain layouts tnc / ldigo / ldgo).
///
/// Cells. LSTM: oneDNN's gates (i, f, c̃, o) and equations are ours, (i, f, z, o). Elman: oneDNN's
/// vanilla RNN with tanh, one gate. GRU: ours applies the reset gate to the recurrent part and its
/// own bias, tanh(Wx_n + b_n + r·(R_g h + b_g)); that is oneDNN's *linear-before-reset* GRU
/// (`dnnl_lbr_gru_forward`, candidate tanh(W_o x + b_o + r·(U_o h + b_u'))), not its plain GRU
/// (which resets h before the product), and both blend h_t = u·h_{t−1} + (1 − u)·candidate with
/// u our z. oneDNN's GRU gates are (u, r, o) and its LBR bias (u, r, o, u'). sLSTM has no oneDNN
/// counterpart (exponential gating with a normalizer and stabilizer state).
///
/// Inputs. oneDNN's primitives take x and W and compute W·x themselves; our problems give the
/// projection Wx directly. So src_layer is Wx and weights_layer is a 0/1 selection that routes
/// input channel g'·C + j to gate g, unit j when g' is the input gate feeding g: exact in Float32
/// (one product by 1, the rest by 0), but oneDNN does the multiplication, (G·C)² flops per token
/// for C channels, on top of the recurrent work.
///
/// Block-diagonal heads: oneDNN's recurrent weights are dense. `perHead` runs one primitive of
/// hidden size D per head on that head's slice of Wx (the recurrent flops of ours);
/// `dense` runs one primitive of hidden size N·D whose R has zero off-diagonal blocks (N× ours).
public enum OneDNNLayout: String, CaseIterable, Sendable, Codable {
    case perHead = "onednn"
    case dense = "onednn-dense"
}

enum OneDNNWeights {
    /// For each oneDNN gate, the index of our gate in Wx, in R and in b that feeds it (for the
    /// bias, one entry per oneDNN bias gate, GRU's u' included).
    struct GateMap: Equatable {
        var input: [Int], recurrent: [Int], bias: [Int]
    }

    static func gateMap(_ cell: RNNCell) -> GateMap? {
        switch cell {
        case .lstm: GateMap(input: [0, 1, 2, 3], recurrent: [0, 1, 2, 3], bias: [0, 1, 2, 3])
        // oneDNN (u, r, o) ← ours: Wx (z, r, n) = (1, 0, 2); R (z, r, g) = (2, 1, 0); b (z, r, n, g) = (2, 1, 3, 0).
        case .gru: GateMap(input: [1, 0, 2], recurrent: [2, 1, 0], bias: [2, 1, 3, 0])
        case .elman: GateMap(input: [0], recurrent: [0], bias: [0])
        case .slstm: nil
        }
    }

    /// The selection weights_layer [G·C input channels][G][C] (ldigo): 1 where input channel
    /// g'·C + j feeds oneDNN gate g, unit j (g' = map.input[g]).
    static func selection(_ map: GateMap, channels c: Int) -> [Float] {
        let g = map.input.count
        var w = [Float](repeating: 0, count: g * c * g * c)
        for gate in 0..<g {
            for j in 0..<c { w[((map.input[gate] * c + j) * g + gate) * c + j] = 1 }
        }
        return w
    }

    /// One head's recurrent weights as oneDNN's weights_iter [D in][G][D out] (ldigo).
    static func headRecurrent(_ problem: RNNProblem, map: GateMap, head: Int) -> [Float] {
        let d = problem.shape.headDim, gr = problem.shape.cell.recurrentGates
        var w = [Float](repeating: 0, count: d * gr * d)
        for k in 0..<d {
            for gate in 0..<gr {
                for j in 0..<d { w[(k * gr + gate) * d + j] = problem.recurrent[((head * d + k) * gr + map.recurrent[gate]) * d + j] }
            }
        }
        return w
    }

    /// All heads' recurrent weights as one dense weights_iter [H][G][H] with zero off-diagonal blocks.
    static func denseRecurrent(_ problem: RNNProblem, map: GateMap) -> [Float] {
        let (n, d, gr, h) = (problem.shape.heads, problem.shape.headDim, problem.shape.cell.recurrentGates, problem.shape.hidden)
        var w = [Float](repeating: 0, count: h * gr * h)
        for head in 0..<n {
            let block = headRecurrent(problem, map: map, head: head)
            for k in 0..<d {
                for gate in 0..<gr {
                    for j in 0..<d { w[((head * d + k) * gr + gate) * h + head * d + j] = block[(k * gr + gate) * d + j] }
                }
            }
        }
        return w
    }

    /// Our R [N][D][G][D] back from per-head weights_iter blocks: the inverse of `headRecurrent`.
    static func recurrent(fromHeads blocks: [[Float]], map: GateMap, headDim d: Int) -> [Float] {
        let gr = map.recurrent.count
        var r = [Float](repeating: 0, count: blocks.count * d * gr * d)
        for (head, block) in blocks.enumerated() {
            for k in 0..<d {
                for gate in 0..<gr {
                    for j in 0..<d { r[((head * d + k) * gr + map.recurrent[gate]) * d + j] = block[(k * gr + gate) * d + j] }
                }
            }
        }
        return r
    }

    /// Bias [G_b][C] (ldgo) for the channels [first, first + c) of the hidden state.
    static func bias(_ problem: RNNProblem, map: GateMap, first: Int, channels c: Int) -> [Float] {
        let h = problem.shape.hidden
        var b = [Float](repeating: 0, count: map.bias.count * c)
        for gate in 0..<map.bias.count {
            for j in 0..<c { b[gate * c + j] = problem.bias[map.bias[gate] * h + first + j] }
        }
        return b
    }

    /// One head's slice of Wx as src_layer [T][B][G·D] (tnc), channel g'·D + j in our gate order.
    static func headInputs(_ problem: RNNProblem, head: Int) -> [Float] {
        let shape = problem.shape
        let (tb, g, d, h) = (shape.steps * shape.batch, shape.cell.inputGates, shape.headDim, shape.hidden)
        var x = [Float](repeating: 0, count: tb * g * d)
        for row in 0..<tb {
            for gate in 0..<g {
                for j in 0..<d { x[(row * g + gate) * d + j] = problem.inputs[(row * g + gate) * h + head * d + j] }
            }
        }
        return x
    }
}
