import Foundation
import HarnessCore
import LinearAlgebra
import XCTest
@testable import KernelDensityExperiment

/// ρ̂ is a probability density: it integrates to 1 (trapezoid rule on a grid wide enough that the
/// tails are far below the tolerance).
final class DensityIntegrationTests: XCTestCase {
    func testIntegratesToOneInOneDimension() throws {
        let sample = GaussianSample(stream: RandomStreams(seed: 9).stream("test/d1"), count: 60, dimension: 1).matrix()
        let kde = try GaussianKernelDensity(sample: sample, bandwidth: 0.3)
        let step = 0.01
        let grid = stride(from: -10.0, through: 10.0, by: step).map { $0 }
        let logs = try kde.logDensity(at: Matrix(rows: grid.count, columns: 1, elements: grid))
        let integral = logs.map(exp).reduce(0, +) * step
        XCTAssertEqual(integral, 1, accuracy: 1e-8)
    }

    func testIntegratesToOneInTwoDimensions() throws {
        let sample = GaussianSample(stream: RandomStreams(seed: 9).stream("test/d2"), count: 40, dimension: 2).matrix()
        let kde = try GaussianKernelDensity(sample: sample, bandwidth: 0.5)
        let step = 0.05
        let axis = stride(from: -9.0, through: 9.0, by: step).map { $0 }
        var points: [Double] = []
        for a in axis { for b in axis { points += [a, b] } }
        let logs = try kde.logDensity(at: Matrix(rows: axis.count * axis.count, columns: 2, elements: points))
        let integral = logs.map(exp).reduce(0, +) * step * step
        XCTAssertEqual(integral, 1, accuracy: 1e-8)
    }

    /// One point, known answer: ρ̂(x) = φ_h(x − y).
    func testSinglePointIsAGaussianBump() throws {
        let kde = try GaussianKernelDensity(sample: Matrix(rows: 1, columns: 2, elements: [0.5, -1]), bandwidth: 0.8)
        let logs = try kde.logDensity(at: Matrix(rows: 1, columns: 2, elements: [1.5, 0]))
        let expected = -log(2 * Double.pi * 0.64) - 2 / (2 * 0.64)
        XCTAssertEqual(logs[0], expected, accuracy: 1e-13)
    }

    func testSampleBlocksEqualTheIndexedNormals() {
        let stream = RandomStreams(seed: 2).stream("test/blocks", replicate: 3)
        let sample = GaussianSample(stream: stream, count: 9, dimension: 3)
        let whole = sample.matrix()
        XCTAssertEqual(whole.elements, stream.normals(27))
        let middle = sample.block(first: 3, rows: 5)  // starts at normal 9: odd, mid-pair
        XCTAssertEqual(middle.elements, Array(whole.elements[9..<24]))
    }
}
