import HarnessCore
import XCTest
@testable import LearningRateBatchExperiment

/// The Fashion-MNIST task's pooling, standardisation, targets and subsampling on hand-made images.
final class FashionMNISTTaskTests: XCTestCase {
    /// Four 4×4 images; image k has every pixel 10·k except the top-left 2×2 block, which is 0.
    private func images() -> (pixels: [UInt8], labels: [UInt8]) {
        var pixels: [UInt8] = []
        for k in 0..<4 {
            for r in 0..<4 { for c in 0..<4 { pixels.append(r < 2 && c < 2 ? 0 : UInt8(10 * (k + 1))) } }
        }
        return (pixels, [0, 1, 6, 9])
    }

    func testPoolingStandardisationAndTargets() {
        let (pixels, labels) = images()
        let data = FashionMNISTTask.dataset(pixels: pixels, labels: labels, side: 4, samples: 4, pooling: 2,
                                            stream: RandomStreams(seed: 1).stream("test/subset"))
        XCTAssertEqual(data.count, 4)
        XCTAssertEqual(data.dimension, 4)
        // Each row is a permutation-drawn image; recover which from its target and values.
        for i in 0..<4 {
            let row = Array(data.inputs.elements[i * 4 ..< (i + 1) * 4])
            XCTAssertEqual(row[0], 0)  // the top-left block is 0 in every image: constant, so 0
            XCTAssertEqual(row[1], row[2])
            XCTAssertEqual(row[2], row[3])
        }
        // The three varying inputs are standardised: mean 0, variance 1 over the four images.
        let column = (0..<4).map { data.inputs.elements[$0 * 4 + 1] }
        XCTAssertEqual(column.reduce(0, +), 0, accuracy: 1e-12)
        XCTAssertEqual(column.map { $0 * $0 }.reduce(0, +) / 4, 1, accuracy: 1e-12)
        // Brighter images are the higher labels here: label 0 and 6 are upper-body (+1), 1 and 9 not.
        let byBrightness = (0..<4).sorted { column[$0] < column[$1] }
        XCTAssertEqual(byBrightness.map { data.targets[$0] }, [1, -1, 1, -1])
    }

    func testSubsampleIsDistinctAndReproducible() {
        let (pixels, labels) = images()
        let streams = RandomStreams(seed: 5)
        let a = FashionMNISTTask.dataset(pixels: pixels, labels: labels, side: 4, samples: 3, pooling: 1, stream: streams.stream("s"))
        let b = FashionMNISTTask.dataset(pixels: pixels, labels: labels, side: 4, samples: 3, pooling: 1, stream: streams.stream("s"))
        XCTAssertEqual(a.inputs.elements, b.inputs.elements)
        XCTAssertEqual(a.targets, b.targets)
        XCTAssertEqual(a.dimension, 16)
        // Three distinct images: their pixel-(3,3) values (standardised) are all different.
        let corner = (0..<3).map { a.inputs.elements[$0 * 16 + 15] }
        XCTAssertEqual(Set(corner).count, 3)
    }
}
