import HarnessCore
import LinearAlgebra
import XCTest

/// The nominal FMA peak `perf` compares the dgemm rate with: table look-up, clock, formula.
final class NominalPeakTests: XCTestCase {
    private func cpu(_ vendor: String, _ family: Int?, _ model: Int, _ name: String = "x") -> PlatformFingerprint.CPU {
        PlatformFingerprint.CPU(
            architecture: "x86_64", vendor: vendor, modelName: name, family: family, model: model, logicalCores: 4,
            physicalCores: 2, features: [])
    }

    func testTableGivesUnitsAndWidthOrNothing() {
        let zen3 = NominalPeak.fmaUnits(of: cpu("AuthenticAMD", 25, 1))
        XCTAssertEqual(zen3?.unitsPerCore, 2)
        XCTAssertEqual(zen3?.vectorBits, 256)
        XCTAssertEqual(NominalPeak.fmaUnits(of: cpu("GenuineIntel", 6, 207))?.vectorBits, 512)
        XCTAssertEqual(NominalPeak.fmaUnits(of: cpu("GenuineIntel", 6, 85, "Intel(R) Xeon(R) Silver 4114"))?.unitsPerCore, 1)
        XCTAssertEqual(NominalPeak.fmaUnits(of: cpu("GenuineIntel", 6, 85, "Intel(R) Xeon(R) Platinum 8180"))?.unitsPerCore, 2)
        XCTAssertNil(NominalPeak.fmaUnits(of: cpu("GenuineIntel", 6, 85, "Intel Xeon Processor (Cascadelake)")))
        XCTAssertNil(NominalPeak.fmaUnits(of: cpu("GenuineIntel", 6, 151)), "hybrid parts are unknown")
        XCTAssertEqual(NominalPeak.fmaUnits(of: cpu("0x41", nil, 0xd0c))?.lanes, 2)
    }

    func testClockPrefersCpufreqMaxThenCpuinfo() {
        let cpuinfo = "processor\t: 0\ncpu MHz\t\t: 2445.406\n"
        XCTAssertEqual(NominalPeak.clock(cpufreqMaxKHz: "3500000\n", cpuinfo: cpuinfo)?.0, 3.5e9)
        XCTAssertEqual(NominalPeak.clock(cpufreqMaxKHz: nil, cpuinfo: cpuinfo)?.0, 2445.406e6)
        XCTAssertNil(NominalPeak.clock(cpufreqMaxKHz: nil, cpuinfo: "processor\t: 0\n"))
    }

    func testPeakIsCoresTimesUnitsTimesLanesTimesTwoTimesClock() {
        let peak = NominalPeak(
            units: .init(microarchitecture: "Sapphire/Emerald/Granite Rapids", unitsPerCore: 2, vectorBits: 512), cores: 2,
            clockHz: 2.1e9, clockSource: "cpufreq max")
        XCTAssertEqual(peak.flopsPerSecond, 2 * 2 * 8 * 2 * 2.1e9)
        XCTAssertEqual(peak.formula, "2 cores × 2 FMA × 8 lanes × 2 × 2.10 GHz (Sapphire/Emerald/Granite Rapids, clock from cpufreq max)")
    }
}
