import XCTest
@testable import HarnessCore
final class HarnessCoreSmokeTests: XCTestCase { func testModuleLoads() {} }
