import XCTest
@testable import ClaimBenchCLI
final class ClaimBenchCLISmokeTests: XCTestCase { func testModuleLoads() {} }
