import HarnessCore

/// A minimal suite `t` whose only content is its `[[golden]]` tolerances, for golden-comparison tests.
public func toleranceDeclaration(golden: [[String: ManifestValue]]) throws -> SuiteDeclaration {
    try SuiteDeclaration(table: ParameterTable(file: "suites/t.toml", entries: [
        "id": .string("t"), "title": .string("t"), "experiment": .string("e"), "seed": .integer(1),
        "paper": .table(["title": .string("p"), "authors": .string("a"), "venue": .string("v"), "url": .string("u"), "locator": .string("l")]),
        "presets": .table(["smoke": .table([:]), "default": .table([:])]),
        "golden": .array(golden.map { .table($0) }),
    ]))
}

/// A run record of suite `t` at smoke with these metrics and claims, made with OpenBLAS core Zen, 1 thread.
public func syntheticRecord(_ metrics: [MetricName: Metric], claims: [ClaimResult] = []) -> RunRecord {
    RunRecord(
        suite: "t", preset: .smoke, experiment: "e", seed: 1, parameters: .null,
        provenance: Provenance(
            gitCommit: "c", gitDirty: nil, swiftVersion: "", operatingSystem: "", cpuModel: "", cores: 1,
            blasConfiguration: "OpenBLAS 0.3.21 (core: Zen)", blasThreads: 1, buildConfiguration: "release",
            startTime: "", wallSeconds: 0),
        metrics: metrics, claims: claims, tables: [], notes: [:])
}
