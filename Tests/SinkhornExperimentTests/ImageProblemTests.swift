import Foundation
import HarnessCore
import ImageDatasets
import LinearAlgebra
import TestSupport
import XCTest
@testable import SinkhornExperiment

/// The image problems (Table 1's MNIST rows, on Fashion-MNIST): grid costs, marginals, pairs.
final class ImageProblemTests: XCTestCase {
    /// Every entry against the closed form from pixel coordinates (a, b) = (p / 28, p mod 28).
    func testGridCostsMatchTheClosedForm() {
        let side = 28
        let l1 = ImageTransportProblem.gridCost(.l1, side: side), l2 = ImageTransportProblem.gridCost(.l2, side: side)
        XCTAssertEqual(l1.rows, 784)
        var worst = 0.0
        for p in 0..<784 {
            let (a, b) = (Double(p / side), Double(p % side))
            for q in 0..<784 {
                let (c, d) = (Double(q / side), Double(q % side))
                worst = max(worst, abs(l1[p, q] - (abs(a - c) + abs(b - d)) / 54),
                            abs(l2[p, q] - ((a - c) * (a - c) + (b - d) * (b - d)) / 1458))
            }
        }
        XCTAssertLessThanOrEqual(worst, 1e-15)
        // Known entries: neighbours, the diagonal step, opposite corners.
        XCTAssertEqual(l1[0, 1], 1.0 / 54)
        XCTAssertEqual(l1[0, 29], 2.0 / 54)
        XCTAssertEqual(l2[0, 29], 2.0 / 1458)
        XCTAssertEqual(l1[0, 783], 1)
        XCTAssertEqual(l2[783, 0], 1)
        XCTAssertEqual(l1[400, 400], 0)
    }

    func testMarginalsSumToOneAndKeepEveryPixel() {
        let pixels: [UInt8] = [0, 255, 10, 0]
        let marginal = ImageTransportProblem.marginal(pixels, floor: 1)
        XCTAssertEqual(marginal.reduce(0, +), 1, accuracy: 1e-15)
        XCTAssertEqual(marginal, [1, 256, 11, 1].map { $0 / 269.0 })
        XCTAssertTrue(marginal.allSatisfy { $0 > 0 })
        // A blank image becomes the uniform distribution.
        XCTAssertEqual(ImageTransportProblem.marginal([UInt8](repeating: 0, count: 784), floor: 1), [Double](repeating: 1.0 / 784, count: 784))
    }

    func testPairsAreDistinctInRangeAndReproducible() {
        for replicate in 0..<50 {
            var first = RandomStreams(seed: 4).stream("sinkhorn/fashion-mnist/pair", replicate: replicate)
            var again = RandomStreams(seed: 4).stream("sinkhorn/fashion-mnist/pair", replicate: replicate)
            let pair = ImageTransportProblem.pair(count: 3, stream: &first)
            XCTAssertNotEqual(pair.0, pair.1)
            XCTAssertTrue((0..<3).contains(pair.0) && (0..<3).contains(pair.1))
            XCTAssertTrue(ImageTransportProblem.pair(count: 3, stream: &again) == pair)
        }
    }

    /// Synthetic 28 × 28 images written as Debian lays them out, so the test needs no package.
    private func syntheticImages() throws -> (TemporaryDirectory, LabelledImages) {
        let directory = TemporaryDirectory()
        var stream = SinkhornFixtures.stream("images/pixels")
        let pixels = (0..<(5 * 784)).map { _ in UInt8(stream.uniform() < 0.5 ? 0 : Int(stream.uniform() * 256) % 256) }
        let split = FashionMNIST.Split.test
        try GzipFile.write(IDXFile.encode(shape: [5, 28, 28], payload: pixels), to: directory.url.appendingPathComponent(split.imagesFile).path)
        try GzipFile.write(IDXFile.encode(shape: [5], payload: [0, 1, 2, 3, 4]), to: directory.url.appendingPathComponent(split.labelsFile).path)
        return (directory, try FashionMNIST.load(split, directory: directory.url.path))
    }

    func testGeneratedImageProblemsShareThePairAndDifferInCost() throws {
        let (_, images) = try syntheticImages()
        let inputs = ImageInputs(images: images, pixelFloor: 1)
        let streams = RandomStreams(seed: 9)
        let l1 = try ProblemGenerator.make(.fashionMnistL1, n: 10, eta: 50, streams: streams, images: inputs)
        let l2 = try ProblemGenerator.make(.fashionMnistL2, n: 10, eta: 50, streams: streams, images: inputs)
        XCTAssertEqual(l1.rows, 784, "image cases ignore n")
        XCTAssertEqual(l1.source, l2.source)
        XCTAssertEqual(l1.target, l2.target)
        XCTAssertNotEqual(l1.source, l1.target)
        XCTAssertEqual(l1.source.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(l1.target.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(l1.cost.elements, ImageTransportProblem.gridCost(.l1, side: 28).elements)
        XCTAssertEqual(l2.cost.elements, ImageTransportProblem.gridCost(.l2, side: 28).elements)
        // Source is some image of the set, normalised with the floor.
        XCTAssertTrue((0..<5).contains { ImageTransportProblem.marginal(images.image($0), floor: 1) == l1.source })
    }

    func testMissingDataSetNamesThePackage() {
        let table = ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: [
            "cases": .array([.string("fashion-mnist-l2")]), "n": .array([.integer(8)]), "eta": .array([.integer(10)]),
            "max_sinkhorn_iterations": .integer(10), "fashion_mnist_dir": .string("no/such/directory"),
        ])
        XCTAssertThrowsError(try SinkhornConvergenceExperiment.run(
            SinkhornConvergenceExperiment.decodeParameters(table), context: RunContext(seed: 1))) { error in
            XCTAssertTrue("\(error)".contains("no/such/directory/t10k-images-idx3-ubyte.gz"), "\(error)")
            XCTAssertTrue("\(error)".contains("apt-get install dataset-fashion-mnist"), "\(error)")
        }
    }

    /// On the installed data set, when present: SNS at the paper's ρ reaches the same plan as Sinkhorn.
    func testInstalledFashionMNISTPairSolves() throws {
        let images: LabelledImages
        do {
            images = try FashionMNIST.load(.test)
        } catch ImageDatasetError.missingFile(let path, _) {
            throw XCTSkip("\(path) is absent: install dataset-fashion-mnist (`make deps`) to run this test")
        }
        let problem = try ProblemGenerator.make(.fashionMnistL2, n: 0, eta: 30, streams: RandomStreams(seed: 2),
                                                images: ImageInputs(images: images, pixelFloor: 1))
        let sinkhorn = LogStabilizedSinkhorn(targetError: 1e-9, maxIterations: 20_000).solve(problem)
        let sns = SinkhornNewtonSparse(targetError: 1e-9, warmupIterations: 20, maxNewtonIterations: 200,
                                       sparsification: .keepCount(perRow: 2)).solve(problem)
        XCTAssertTrue(sinkhorn.converged && sns.converged)
        XCTAssertEqual(sns.transportCost, sinkhorn.transportCostForTest(problem), accuracy: 1e-7 * sns.transportCost)
    }
}

private extension LogStabilizedSinkhorn.Result {
    func transportCostForTest(_ problem: EntropicOTProblem) -> Double {
        TransportPlan(problem: problem, x: x, y: y).transportCost(problem)
    }
}
