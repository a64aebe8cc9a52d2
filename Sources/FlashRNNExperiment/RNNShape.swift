/// Why a forward pass cannot run on the inputs it was given. Each message says what to change.
public enum RNNInputError: Error, Equatable, CustomStringConvertible {
    case headDimDoesNotDivide(hidden: Int, headDim: Int)
    case nonPositive(name: String, value: Int)
    case wrongGateCount(tensor: String, cell: RNNCell, found: Int, expected: Int)
    case wrongSize(tensor: String, found: Int, expected: Int)
    case nonFinite(tensor: String, index: Int)

    public var description: String {
        switch self {
        case .headDimDoesNotDivide(let hidden, let headDim):
            "head dim D = \(headDim) does not divide the hidden size \(hidden): choose D among the divisors of \(hidden)"
        case .nonPositive(let name, let value):
            "\(name) must be at least 1, got \(value)"
        case .wrongGateCount(let tensor, let cell, let found, let expected):
            "\(tensor) holds \(found) gates but the \(cell.displayName) cell needs \(expected): check the cell or the tensor's gate dimension"
        case .wrongSize(let tensor, let found, let expected):
            "\(tensor) has \(found) entries, expected \(expected) for this shape"
        case .nonFinite(let tensor, let index):
            "\(tensor) entry \(index) is not finite: the forward pass needs finite inputs and weights"
        }
    }
}

/// The shape of one head-wise forward pass (FlashRNN's interface): batch B, steps T, N heads of
/// D dims (hidden size N·D).
public struct RNNShape: Sendable, Equatable, Encodable {
    public var cell: RNNCell
    public var batch: Int
    public var steps: Int
    public var heads: Int
    public var headDim: Int

    public init(cell: RNNCell, batch: Int, steps: Int, heads: Int, headDim: Int) throws {
        for (name, value) in [("batch B", batch), ("steps T", steps), ("heads N", heads), ("head dim D", headDim)] where value < 1 {
            throw RNNInputError.nonPositive(name: name, value: value)
        }
        self.cell = cell
        self.batch = batch
        self.steps = steps
        self.heads = heads
        self.headDim = headDim
    }

    /// N = hidden / D heads; throws when D does not divide the hidden size.
    public init(cell: RNNCell, batch: Int, steps: Int, hidden: Int, headDim: Int) throws {
        guard headDim >= 1, hidden >= 1 else { throw RNNInputError.nonPositive(name: headDim < 1 ? "head dim D" : "hidden size", value: min(headDim, hidden)) }
        guard hidden % headDim == 0 else { throw RNNInputError.headDimDoesNotDivide(hidden: hidden, headDim: headDim) }
        try self.init(cell: cell, batch: batch, steps: steps, heads: hidden / headDim, headDim: headDim)
    }

    public var hidden: Int { heads * headDim }
    /// Entries of Wx: [T][B][G_W][N][D].
    public var inputCount: Int { steps * batch * cell.inputGates * hidden }
    /// Entries of R: per head a D × (G_R·D) row-major block, [N][D][G_R][D].
    public var recurrentCount: Int { heads * headDim * cell.recurrentGates * headDim }
    /// Entries of b: [G_b][N][D].
    public var biasCount: Int { cell.biasGates * hidden }
    /// Entries of the state array: [S][B][N][D].
    public var stateCount: Int { cell.stateCount * batch * hidden }
    /// Entries of the output (h at every step): [T][B][N][D].
    public var outputCount: Int { steps * batch * hidden }
    /// Floating-point operations of the recurrent products over the whole sequence.
    public var recurrentFlops: Double { 2 * Double(steps) * Double(batch) * Double(heads) * Double(cell.recurrentGates) * Double(headDim * headDim) }
}
