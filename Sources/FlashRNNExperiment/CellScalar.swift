import Foundation

/// The scalar types the cells run in: Float32 for the three implementations, Float64 for the
/// reference they are checked against.
public protocol CellScalar: BinaryFloatingPoint, Sendable {
    static func exponential(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func logOnePlus(_ x: Self) -> Self
}

extension Float: CellScalar {
    @inline(__always) public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    @inline(__always) public static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
    @inline(__always) public static func logOnePlus(_ x: Float) -> Float { Foundation.log1p(x) }
}

extension Double: CellScalar {
    @inline(__always) public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) public static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
    @inline(__always) public static func logOnePlus(_ x: Double) -> Double { Foundation.log1p(x) }
}

extension CellScalar {
    /// σ(x) = 1 / (1 + e^−x), without overflow for large |x|.
    @inline(__always) static func sigmoid(_ x: Self) -> Self {
        if x >= 0 { return 1 / (1 + exponential(-x)) }
        let e = exponential(x)
        return e / (1 + e)
    }

    /// log σ(x) = −log(1 + e^−x), stable on both sides.
    @inline(__always) static func logSigmoid(_ x: Self) -> Self {
        x >= 0 ? -logOnePlus(exponential(-x)) : x - logOnePlus(exponential(x))
    }
}
