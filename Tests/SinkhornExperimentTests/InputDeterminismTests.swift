import HarnessCore
import LinearAlgebra
import XCTest
@testable import SinkhornExperiment

/// `problem_checksum` is an `exact` metric: the generated problems must be bit-identical on every
/// machine, whatever the BLAS kernel or thread count. The frozen values below were recorded once;
/// a change of the generators, the normals or `PortableMath` must change them deliberately.
final class InputDeterminismTests: XCTestCase {
    func checksum(_ kind: TransportCase, threads: Int) throws -> Double {
        let previous = BLASRuntime.threads
        BLASRuntime.setThreads(threads)
        defer { BLASRuntime.setThreads(previous) }
        let problem = try ProblemGenerator.make(kind, n: 24, eta: 20, streams: RandomStreams(seed: 20_240_117))
        return ProblemChecksum.of(problem)
    }

    func testProblemChecksumsAreFrozenAndThreadIndependent() throws {
        let frozen: [(TransportCase, UInt64)] = [
            (.randomAssignment, 0x4320_68f2_53f1_e74a),
            (.pointClouds, 0x4329_30dc_0f1a_6f84),
            (.densitiesW1, 0x4327_3d03_5e19_e52e),
            (.densitiesW2, 0x4323_4518_1439_dbee),
        ]
        for (kind, bits) in frozen {
            for threads in [1, 2] {
                let value = try checksum(kind, threads: threads)
                XCTAssertEqual(value.bitPattern, bits, "\(kind) at \(threads) BLAS threads: \(value) = 0x\(String(value.bitPattern, radix: 16))")
            }
        }
    }
}
