import HarnessCore
import LinearAlgebra
import XCTest
@testable import FlashRNNExperiment

/// `input_checksum` is an `exact` metric: the weights and inputs must be bit-identical on every
/// machine. The frozen value below was recorded once; a change of the generator, the normals or
/// `PortableMath` must change it deliberately.
final class InputDeterminismTests: XCTestCase {
    func testInputChecksumIsFrozenAndThreadIndependent() throws {
        let shape = try RNNShape(cell: .lstm, batch: 2, steps: 5, hidden: 16, headDim: 8)
        for threads in [1, 2] {
            let previous = BLASRuntime.threads
            BLASRuntime.setThreads(threads)
            defer { BLASRuntime.setThreads(previous) }
            let value = try RNNProblem.random(shape, streams: RandomStreams(seed: 2024)).inputChecksum
            XCTAssertEqual(value.bitPattern, 0x431c_0a20_2c45_4670, "at \(threads) BLAS threads: 0x\(String(value.bitPattern, radix: 16))")
        }
    }
}
