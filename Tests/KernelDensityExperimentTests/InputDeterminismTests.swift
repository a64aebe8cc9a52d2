import HarnessCore
import LinearAlgebra
import XCTest
@testable import KernelDensityExperiment

/// `sample_checksum` is an `exact` metric: the queries and every replicate's sample must be
/// bit-identical on every machine, whatever the BLAS kernel or thread count. The frozen value
/// below was recorded once; a change of the sampler, the normals or `PortableMath` must change it
/// deliberately.
final class InputDeterminismTests: XCTestCase {
    func cell(threads: Int) throws -> RegimeCell {
        let streams = RandomStreams(seed: 20_240_301)
        let queries = Matrix(rows: 3, columns: 4, elements: streams.stream("kde/queries/d=4").normals(12))
        return try RegimeCell(dimension: 4, alpha: 1, ratios: [0.5, 1, 2], queries: queries, replicates: 4,
                              hillTerms: 3, maxPoints: 1000, streams: streams, threads: threads)
    }

    /// One thread runs the replicates in turn; two run them in parallel on single-threaded BLAS.
    func testSampleChecksumIsFrozenAndThreadIndependent() throws {
        for threads in [1, 2] {
            let cell = try cell(threads: threads)
            XCTAssertEqual(cell.points, 55)  // e⁴ = 54.6
            XCTAssertEqual(cell.sampleChecksum.bitPattern, 0x4336_e67a_3fe1_d73b,
                           "at \(threads) threads: 0x\(String(cell.sampleChecksum.bitPattern, radix: 16))")
        }
    }

    func testSampleChecksumDoesNotDependOnTheBlockSize() throws {
        let sample = GaussianSample(stream: RandomStreams(seed: 3).stream("test/blocks"), count: 101, dimension: 5)
        let queries = Matrix(rows: 2, columns: 5, elements: [Double](repeating: 0, count: 10))
        var whole = BitChecksum()
        whole.add(sample.matrix().elements)
        for blockSize in [1, 7, 64, 2048] {
            var sums = try KernelSums(queries: queries, bandwidths: [1])
            var checksum = BitChecksum()
            try sample.accumulate(into: &sums, blockSize: blockSize, checksum: &checksum)
            XCTAssertEqual(checksum, whole, "block size \(blockSize)")
        }
    }
}
