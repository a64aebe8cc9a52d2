/// A quick check that the BLAS core in use computes dgemm correctly, run at startup after the
/// core is chosen (a forced core the CPU half-supports, or a broken kernel, would otherwise
/// only show as deviating goldens).
///
/// The matrices hold small integers (|a|, |b| ≤ 4), so every product and partial sum is an
/// integer below 2⁵³ and exact in any summation order, blocking or FMA use: the result must
/// equal the integer product bit for bit, on every core. The sizes are odd and larger than a
/// core's register tiles and small-matrix paths, so the packed kernels and their edge cases run.
public enum KnownAnswerGEMM {
    /// Dimensions of op(A) (m×k) and op(B) (k×n).
    static let m = 131, n = 97, k = 113

    static func a(_ i: Int, _ j: Int) -> Int { (i * 7 + j * 3) % 9 - 4 }
    static func b(_ i: Int, _ j: Int) -> Int { (i * 5 + j * 11) % 9 - 4 }

    /// `nil` when C = A·B and C = (Aᵀ)ᵀ·B both equal the integer product; otherwise what differs.
    public static func verify() -> String? {
        let left = Matrix(rows: m, columns: k) { Double(a($0, $1)) }
        let right = Matrix(rows: k, columns: n) { Double(b($0, $1)) }
        var expected = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0
                for p in 0..<k { sum += a(i, p) * b(p, j) }
                expected[i * n + j] = Double(sum)
            }
        }
        let cases: [(String, Matrix)] = [
            ("A·B", BLAS.gemm(left, right)),
            ("(Aᵀ)ᵀ·B", BLAS.gemm(.transposed, .none, left.transposed, right)),
        ]
        for (label, product) in cases {
            if let index = product.elements.indices.first(where: { product.elements[$0] != expected[$0] }) {
                return "\(label) [\(index / n), \(index % n)] = \(product.elements[index]), expected \(expected[index])"
            }
        }
        return nil
    }
}
