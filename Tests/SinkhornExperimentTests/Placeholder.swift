import XCTest
@testable import SinkhornExperiment
final class SinkhornExperimentSmokeTests: XCTestCase { func testModuleLoads() {} }
