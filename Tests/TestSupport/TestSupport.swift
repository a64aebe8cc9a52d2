import HarnessCore

// Shared helpers for the test targets. This target is an ordinary library (no XCTest), so the
// helpers return values that the tests then assert on.

/// The `ManifestError` thrown by `body`; `nil` when it threw nothing or threw something else.
public func manifestError(_ body: () throws -> Void) -> ManifestError? {
    do {
        try body()
        return nil
    } catch let error as ManifestError {
        return error
    } catch {
        return nil
    }
}

/// Sample statistics for the statistical tests.
public enum SampleMoments {
    /// Mean and unbiased variance of `values`.
    public static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
        precondition(values.count > 1)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance)
    }

    /// Pearson's chi-square statistic of `observed` counts against equal expected counts.
    public static func chiSquareUniform(_ observed: [Int]) -> Double {
        let total = Double(observed.reduce(0, +))
        let expected = total / Double(observed.count)
        return observed.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }
}
