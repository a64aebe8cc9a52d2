import HarnessCore
import LinearAlgebra
import XCTest
@testable import LearningRateBatchExperiment

/// `data_checksum` is an `exact` metric: the teacher–student data must be bit-identical on every
/// machine, so it is generated without BLAS or libm. The frozen values below were recorded once;
/// a change of the generators, the normals or `PortableMath` must change them deliberately.
final class InputDeterminismTests: XCTestCase {
    func checksums(threads: Int) -> (regression: Double, classification: Double) {
        let previous = BLASRuntime.threads
        BLASRuntime.setThreads(threads)
        defer { BLASRuntime.setThreads(previous) }
        let streams = RandomStreams(seed: 20_200_616)
        let regression = TeacherStudentData.regression(samples: 64, dimension: 12, teacherHidden: 9, noise: 0.1, streams: streams)
        let classification = TeacherStudentData.classification(samples: 64, dimension: 12, teacherScale: 3, streams: streams)
        return (DataChecksum.of(regression), DataChecksum.of(classification))
    }

    func testDataChecksumsAreFrozenAndThreadIndependent() {
        for threads in [1, 2] {
            let (regression, classification) = checksums(threads: threads)
            XCTAssertEqual(regression.bitPattern, 0x4310_e49e_a745_3be8, "regression at \(threads) BLAS threads: 0x\(String(regression.bitPattern, radix: 16))")
            XCTAssertEqual(classification.bitPattern, 0x433a_a23b_702f_779b, "classification at \(threads) BLAS threads: 0x\(String(classification.bitPattern, radix: 16))")
        }
    }

    /// The plain-loop teacher agrees with the model's own BLAS forward pass to rounding.
    func testTeacherLoopsAgreeWithTheModelsForwardPass() {
        let streams = RandomStreams(seed: 5)
        let inputs = Matrix(rows: 40, columns: 7, elements: streams.stream("x").normals(280))
        let teacher = TwoLayerMLP(inputDimension: 7, hiddenUnits: 5)
        let parameters = streams.stream("w").normals(teacher.parameterCount)
        let loops = TeacherStudentData.teacherOutputs(teacher, parameters, inputs: inputs)
        let blas = teacher.outputs(parameters, inputs: inputs)
        for (a, b) in zip(loops, blas) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
    }
}
