import HarnessCore
import LinearAlgebra
@testable import FlashRNNExperiment

/// Small shapes and problems shared by the suite's tests.
enum RNNFixtures {
    static let cache = CacheTopology(l1Data: 32 << 10, l2: 1 << 20)

    static func problem(_ cell: RNNCell, batch: Int = 3, steps: Int = 7, heads: Int = 2, headDim: Int = 8, seed: UInt64 = 11, inputScale: Double = 1) throws -> RNNProblem {
        try RNNProblem.random(RNNShape(cell: cell, batch: batch, steps: steps, heads: heads, headDim: headDim),
                              streams: RandomStreams(seed: seed), inputScale: inputScale)
    }
}
