/// The cut-off of Alg. 1's fixed keep-count rule (Tang et al. 2024, Alg. 1, "Sparsify(∇²f, ρ)"):
/// the `count`-th largest of the plan's entries, found without sorting all n·m of them.
///
/// For non-negative doubles the IEEE-754 bit pattern, read as an unsigned integer, orders like
/// the value. One pass counts entries by the top 16 bits of that pattern (sign, exponent and
/// four mantissa bits: 16 bins per binade); the bin holding the `count`-th largest entry is then
/// the only one that needs sorting.
enum KeepCountThreshold {
    static let binBits = 16

    /// The `count`-th largest value t of `values` (1 ≤ count ≤ values.count), and how many values
    /// are strictly greater than t; keeping those plus the first `count − above` entries equal
    /// to t keeps exactly `count` entries, and the largest ones.
    static func select(_ values: [Double], count: Int) -> (threshold: Double, above: Int) {
        precondition(count >= 1 && count <= values.count, "keep count \(count) out of 1…\(values.count)")
        assert(values.allSatisfy { $0 >= 0 && $0.isFinite }, "KeepCountThreshold expects non-negative finite values")
        let shift = UInt64(64 - binBits)
        var histogram = [Int](repeating: 0, count: 1 << binBits)
        values.withUnsafeBufferPointer { v in
            histogram.withUnsafeMutableBufferPointer { h in
                for value in v { h[Int(truncatingIfNeeded: value.bitPattern >> shift)] += 1 }
            }
        }
        // Walk the bins from the largest values down to the one holding the count-th largest.
        var bin = histogram.count - 1
        var above = 0
        while above + histogram[bin] < count {
            above += histogram[bin]
            bin -= 1
        }
        let candidates = values.filter { Int(truncatingIfNeeded: $0.bitPattern >> shift) == bin }.sorted(by: >)
        let threshold = candidates[count - above - 1]
        return (threshold, above + candidates.prefix { $0 > threshold }.count)
    }
}
