import LinearAlgebra

/// Entropic optimal transport between histograms, in the notation of Tang et al. (ICLR 2024),
/// Sec. 3:  min_P ⟨C, P⟩ + (1/η) Σ P_ij log P_ij  subject to  P1 = r,  Pᵀ1 = c.
///
/// η is the *inverse* regularisation strength: large η approaches unregularised transport.
public struct EntropicOTProblem: Sendable {
    /// Source marginal r (n entries), positive, summing to 1. (Zero-mass points carry no
    /// transport and make their potential −∞: drop them before building the problem.)
    public let source: [Double]
    /// Target marginal c (m entries), positive, summing to 1.
    public let target: [Double]
    /// Cost matrix C, n × m, finite.
    public let cost: Matrix
    /// Inverse regularisation η > 0.
    public let eta: Double

    public var rows: Int { source.count }
    public var columns: Int { target.count }

    /// Validates every input; throws `EntropicOTProblem.InputError` naming the first problem.
    public init(source: [Double], target: [Double], cost: Matrix, eta: Double) throws {
        guard cost.rows == source.count, cost.columns == target.count else {
            throw InputError.sizeMismatch(costRows: cost.rows, costColumns: cost.columns, source: source.count, target: target.count)
        }
        guard !source.isEmpty, !target.isEmpty else { throw InputError.empty }
        guard eta.isFinite, eta > 0 else { throw InputError.badRegularization(eta) }
        try Self.checkMarginal(source, name: "source marginal r")
        try Self.checkMarginal(target, name: "target marginal c")
        if let bad = cost.elements.firstIndex(where: { !$0.isFinite }) {
            throw InputError.nonFiniteCost(row: bad / cost.columns, column: bad % cost.columns, value: cost.elements[bad])
        }
        self.source = source
        self.target = target
        self.cost = cost
        self.eta = eta
    }

    /// Relative tolerance on a marginal's total mass.
    public static let massTolerance = 1e-9

    private static func checkMarginal(_ marginal: [Double], name: String) throws {
        if let bad = marginal.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw InputError.negativeMarginal(name: name, index: bad, value: marginal[bad])
        }
        let total = marginal.reduce(0, +)
        guard abs(total - 1) <= massTolerance else { throw InputError.unnormalizedMarginal(name: name, sum: total) }
    }

    public enum InputError: Error, Equatable, CustomStringConvertible {
        case sizeMismatch(costRows: Int, costColumns: Int, source: Int, target: Int)
        case empty
        case badRegularization(Double)
        case negativeMarginal(name: String, index: Int, value: Double)
        case unnormalizedMarginal(name: String, sum: Double)
        case nonFiniteCost(row: Int, column: Int, value: Double)

        public var description: String {
            switch self {
            case .sizeMismatch(let rows, let columns, let source, let target):
                "mismatched sizes: cost is \(rows)×\(columns) but the marginals have \(source) and \(target) entries"
            case .empty:
                "empty problem: both marginals need at least one entry"
            case .badRegularization(let eta):
                "the inverse regularisation η must be a positive finite number, got \(eta)"
            case .negativeMarginal(let name, let index, let value):
                "\(name) has entry \(value) at index \(index); marginal entries must be positive and finite (drop zero-mass points)"
            case .unnormalizedMarginal(let name, let sum):
                "\(name) sums to \(sum), not 1 (relative tolerance \(EntropicOTProblem.massTolerance)); normalise it first"
            case .nonFiniteCost(let row, let column, let value):
                "cost matrix has a non-finite entry \(value) at (\(row), \(column))"
            }
        }
    }
}
