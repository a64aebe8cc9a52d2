/// `--shard i/n`: which of a preset's work units one process runs (docs/ARCHITECTURE.md,
/// "Work units and shards").
public struct ShardSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// How units are dealt to shards. Both are deterministic functions of the unit list alone.
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        /// Unit k goes to shard k mod n (1-based shard = k mod n + 1).
        case roundRobin = "round-robin"
        /// Longest-processing-time first: units by decreasing cost (ties by canonical order) each go
        /// to the shard with the least total cost so far (ties to the lowest shard).
        case costBalanced = "cost-balanced"
    }

    /// 1-based.
    public var index: Int
    public var count: Int
    public var strategy: Strategy

    public init(index: Int, count: Int, strategy: Strategy = .costBalanced) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw PlanRefusal("--shard \(index)/\(count): expected i/n with 1 ≤ i ≤ n, e.g. --shard 1/4", status: .usage)
        }
        self.index = index
        self.count = count
        self.strategy = strategy
    }

    /// Parses `i/n`.
    public static func parse(_ text: String, strategy: Strategy = .costBalanced) throws -> ShardSpec {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw PlanRefusal("--shard \(text): expected i/n with 1 ≤ i ≤ n, e.g. --shard 1/4", status: .usage)
        }
        return try ShardSpec(index: index, count: count, strategy: strategy)
    }

    public var description: String { "\(index)/\(count)" }

    /// The units this shard runs, in canonical order.
    public func select(_ units: [WorkUnit]) -> [WorkUnit] {
        let owners = Self.assignment(units, count: count, strategy: strategy)
        return zip(units, owners).filter { $0.1 == index }.map(\.0)
    }

    /// The 1-based shard of each unit, in canonical order.
    public static func assignment(_ units: [WorkUnit], count: Int, strategy: Strategy) -> [Int] {
        switch strategy {
        case .roundRobin:
            return units.indices.map { $0 % count + 1 }
        case .costBalanced:
            let order = units.indices.sorted { units[$0].cost != units[$1].cost ? units[$0].cost > units[$1].cost : $0 < $1 }
            var load = [Double](repeating: 0, count: count)
            var owner = [Int](repeating: 0, count: units.count)
            for unit in order {
                var best = 0
                for shard in 1..<count where load[shard] < load[best] { best = shard }
                load[best] += units[unit].cost
                owner[unit] = best + 1
            }
            return owner
        }
    }
}
