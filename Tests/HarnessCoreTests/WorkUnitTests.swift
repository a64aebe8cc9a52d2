import Foundation
import Testing
@testable import HarnessCore

@Suite struct UnitResultCodecTests {
    struct Sample: Codable, Equatable { var values: [Double]; var label: String }

    @Test func doublesRoundTripToTheSameBits() throws {
        let values: [Double] = [0, -0.0, 1, -1, .pi, 1e-310, -4.9e-324, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .infinity, -.infinity, .nan, 0.1 + 0.2, 1.0 / 3.0, 123456789.987654321e-200]
        let data = try UnitResultCodec.encode(Sample(values: values, label: "x"))
        let back = try UnitResultCodec.decode(Sample.self, from: data, unit: "u")
        #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(back.label == "x")
    }

    @Test func encodingIsCanonical() throws {
        let output = ExperimentOutput(metrics: ["b": .exact(2), "a": .numeric(.nan)], tables: [:], notes: ["z": "1", "y": "2"])
        let first = try UnitResultCodec.encode(output)
        let second = try UnitResultCodec.encode(try UnitResultCodec.decode(ExperimentOutput.self, from: first, unit: "u"))
        #expect(first == second)
    }

    @Test func unreadableResultNamesTheUnit() {
        #expect(throws: UnitResultUnreadable.self) { try UnitResultCodec.decode(Sample.self, from: Data("{}".utf8), unit: "d=30") }
        do { _ = try UnitResultCodec.decode(Sample.self, from: Data("{}".utf8), unit: "d=30") } catch {
            #expect("\(error)".contains("d=30"))
        }
    }
}

@Suite struct ShardSpecTests {
    let units = (0..<10).map { WorkUnit(WorkUnitID("u\($0)"), cost: Double([5, 1, 1, 8, 2, 2, 1, 9, 3, 1][$0])) }

    @Test(arguments: ShardSpec.Strategy.allCases, [1, 2, 3, 4, 10, 12])
    func everyUnitInExactlyOneShard(strategy: ShardSpec.Strategy, count: Int) throws {
        var seen: [WorkUnitID] = []
        for index in 1...count { seen += try ShardSpec(index: index, count: count, strategy: strategy).select(units).map(\.id) }
        #expect(seen.sorted() == units.map(\.id).sorted())
    }

    @Test func roundRobinDealsInOrder() throws {
        #expect(try ShardSpec(index: 2, count: 3, strategy: .roundRobin).select(units).map(\.id.rawValue) == ["u1", "u4", "u7"])
    }

    @Test func costBalancedIsLongestFirst() {
        // Costs 9, 8, 5, 3, 2, 2, 1, 1, 1, 1 dealt to the lighter of two shards.
        let owners = ShardSpec.assignment(units, count: 2, strategy: .costBalanced)
        let load = (1...2).map { shard in zip(units, owners).filter { $0.1 == shard }.map(\.0.cost).reduce(0, +) }
        #expect(load == [17, 16])
        #expect(owners[7] == 1 && owners[3] == 2)
    }

    @Test func parseRefusesBadSpecs() throws {
        #expect(try ShardSpec.parse("2/4") == ShardSpec(index: 2, count: 4))
        for bad in ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2"] {
            #expect(throws: PlanRefusal.self) { try ShardSpec.parse(bad) }
        }
    }
}
