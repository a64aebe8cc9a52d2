import Foundation
import HarnessCore
import LinearAlgebra

/// Points drawn from N(0, I_d) out of one named random stream, generated block by block so a
/// sample of n = e^{αd} points is never held whole (Biroli & Mézard 2024: the Gaussian-data case).
///
/// Coordinate c of point j is normal number j·d + c of the stream's indexed family, so any block
/// equals the same rows of the sample drawn in one go, whatever the block size.
public struct GaussianSample: Sendable {
    public let stream: RandomStream
    public let count: Int
    public let dimension: Int

    public init(stream: RandomStream, count: Int, dimension: Int) {
        self.stream = stream
        self.count = count
        self.dimension = dimension
    }

    /// Points `first ..< first + rows` as a rows × d matrix.
    public func block(first: Int, rows: Int) -> Matrix {
        var block = Matrix(rows: rows, columns: dimension)
        let start = first * dimension, end = start + rows * dimension
        block.elements.withUnsafeMutableBufferPointer { out in
            // Box–Muller pairs: normals 2p and 2p + 1 come from Philox block p, as in `normal(at:)`.
            var index = start
            while index < end {
                let pair = index / 2
                let bits = stream.block(UInt32(pair))
                let (z0, z1) = RandomStream.boxMuller(
                    RandomStream.openUnit(UInt64(bits.1) << 32 | UInt64(bits.0)),
                    RandomStream.openUnit(UInt64(bits.3) << 32 | UInt64(bits.2)))
                if index % 2 == 0 {
                    out[index - start] = z0
                    if index + 1 < end { out[index + 1 - start] = z1 }
                    index += 2
                } else {
                    out[index - start] = z1
                    index += 1
                }
            }
        }
        return block
    }

    /// Streams the whole sample through `sums` in blocks of `blockSize` points.
    public func accumulate(into sums: inout KernelSums, blockSize: Int = 2048) throws {
        try forEachBlock(blockSize) { try sums.add($0) }
    }

    /// Streams the whole sample through `sums` and feeds its values' bits, point by point, to
    /// `checksum` (the same checksum whatever the block size).
    public func accumulate(into sums: inout KernelSums, blockSize: Int = 2048, checksum: inout BitChecksum) throws {
        try forEachBlock(blockSize) { block in
            checksum.add(block.elements)
            try sums.add(block)
        }
    }

    private func forEachBlock(_ blockSize: Int, _ body: (Matrix) throws -> Void) throws {
        var first = 0
        while first < count {
            let rows = min(blockSize, count - first)
            try body(block(first: first, rows: rows))
            first += rows
        }
    }

    /// The whole sample as an n × d matrix (for small samples and tests).
    public func matrix() -> Matrix { block(first: 0, rows: count) }
}

/// The Gaussian-kernel density estimate ρ̂(x) = (1/(n h^d)) Σ_i K((x − y_i)/h) with
/// K(u) = (2π)^{−d/2} e^{−|u|²/2} (Biroli & Mézard 2024, abstract), evaluated in log form.
public struct GaussianKernelDensity {
    public let sample: Matrix
    public let bandwidth: Double

    /// `sample` holds one point per row; at most `SampleSize.maximumPoints` points.
    public init(sample: Matrix, bandwidth: Double) throws {
        guard bandwidth > 0, bandwidth.isFinite else { throw KernelDensityInputError.nonPositiveBandwidth(bandwidth) }
        guard sample.rows > 0 else { throw KernelDensityInputError.emptySample }
        guard sample.rows <= SampleSize.maximumPoints else {
            throw KernelDensityInputError.sampleTooLarge(
                points: Double(sample.rows), dimension: sample.columns, limit: SampleSize.maximumPoints)
        }
        self.sample = sample
        self.bandwidth = bandwidth
    }

    /// log ρ̂ at each row of `points`.
    public func logDensity(at points: Matrix) throws -> [Double] {
        var sums = try KernelSums(queries: points, bandwidths: [bandwidth])
        let blockSize = 2048
        var first = 0
        while first < sample.rows {
            let rows = min(blockSize, sample.rows - first)
            let slice = Array(sample.elements[first * sample.columns ..< (first + rows) * sample.columns])
            try sums.add(Matrix(rows: rows, columns: sample.columns, elements: slice))
            first += rows
        }
        let normaliser = Self.logNormaliser(points: sample.rows, dimension: sample.columns, bandwidth: bandwidth)
        return (0..<points.rows).map { sums.logKernelSum(query: $0, bandwidth: 0) - normaliser }
    }

    /// log(n·h^d·(2π)^{d/2}): log ρ̂ = log Σ exp(−|x − y|²/(2h²)) − this.
    public static func logNormaliser(points n: Int, dimension d: Int, bandwidth h: Double) -> Double {
        log(Double(n)) + Double(d) * (log(h) + 0.5 * log(2 * Double.pi))
    }
}
