import Foundation
import HarnessCore

/// Bad input to the estimator or the theory: each message says what was wrong and what to do.
/// (Suite-declaration errors are `ManifestError`s naming the file and key instead.)
public enum KernelDensityInputError: Error, Equatable, CustomStringConvertible {
    case nonPositiveBandwidth(Double)
    case nonPositiveAlpha(Double)
    /// A sample of `points` points in `dimension` dimensions is larger than `limit` points.
    case sampleTooLarge(points: Double, dimension: Int, limit: Int)
    case emptySample
    case dimensionMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .nonPositiveBandwidth(let h):
            "bandwidth h = \(h) must be positive and finite"
        case .nonPositiveAlpha(let alpha):
            "alpha = log(n)/d = \(alpha) must be positive and finite"
        case .sampleTooLarge(let points, let dimension, let limit):
            "a sample of n = \(SampleSize.describe(points)) points in d = \(dimension) would need "
                + "\(SampleSize.describeBytes(points * Double(dimension) * 8)) (n·d·8 bytes) to hold and as many to stream per replicate; "
                + "the limit is \(limit) points (\(SampleSize.describeBytes(Double(limit) * Double(dimension) * 8))): lower alpha or d"
        case .emptySample:
            "the sample is empty: a kernel density estimate needs at least one data point"
        case .dimensionMismatch(let expected, let got):
            "point has \(got) coordinates, the sample has dimension \(expected)"
        }
    }
}

/// n = e^{αd} and its size in words.
public enum SampleSize {
    /// The largest sample this suite streams: 10⁷ points (the issue's bound for the blocked sums).
    public static let maximumPoints = 10_000_000

    /// e^{αd} rounded to the nearest integer, as a Double (it may exceed Int). Through
    /// `PortableMath.exp`, so the sample size (an `exact` metric) is the same on every machine.
    public static func points(alpha: Double, dimension: Int) -> Double {
        PortableMath.exp(alpha * Double(dimension)).rounded()
    }

    /// n = e^{αd} when it is at most `limit`, else `sampleTooLarge` stating the size it would need.
    public static func checked(alpha: Double, dimension: Int, limit: Int = maximumPoints) throws -> Int {
        guard alpha > 0, alpha.isFinite else { throw KernelDensityInputError.nonPositiveAlpha(alpha) }
        let n = points(alpha: alpha, dimension: dimension)
        guard n <= Double(limit) else {
            throw KernelDensityInputError.sampleTooLarge(points: n, dimension: dimension, limit: limit)
        }
        return max(1, Int(n))
    }

    static func describe(_ value: Double) -> String {
        value < 1e6 ? String(Int(value)) : String(format: "%.3g", value)
    }

    static func describeBytes(_ bytes: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, index = 0
        while value >= 1000, index < units.count - 1 { value /= 1000; index += 1 }
        return String(format: "%.3g %@", value, units[index])
    }
}
