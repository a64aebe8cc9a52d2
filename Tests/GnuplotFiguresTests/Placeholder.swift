import XCTest
@testable import GnuplotFigures
final class GnuplotFiguresSmokeTests: XCTestCase { func testModuleLoads() {} }
