import TestSupport
import XCTest
@testable import HarnessCore

/// Suite declarations built by hand as `ManifestValue` trees (the TOML loader is tested on its own).
final class SuiteDeclarationTests: XCTestCase {
    private let file = "suites/sinkhorn.toml"

    private func claim(_ id: String, _ predicate: [String: ManifestValue] = ["at_least": .float(100)]) -> ManifestValue {
        .table(
            [
                "id": .string(id), "statement": .string("SNS needs far fewer iterations"),
                "metric": .string("*/iteration_ratio"), "paper_value": .string("> 100x (Table 1)"),
                "source": .table(["kind": .string("secondary"), "verified": .boolean(false), "where": .string("a summary page")]),
            ].merging(predicate) { $1 })
    }

    private func golden(_ metric: String, _ extra: [String: ManifestValue] = [:]) -> ManifestValue {
        .table(["metric": .string(metric)].merging(extra) { $1 })
    }

    private func figure(_ id: String, script: String? = nil, data: String = "convergence.csv") -> ManifestValue {
        .table(["id": .string(id), "script": .string(script ?? "plots/sinkhorn/\(id).gp"), "data": .string(data)])
    }

    /// A complete, valid declaration; tests change one part at a time.
    private func validEntries() -> [String: ManifestValue] {
        [
            "id": .string("sinkhorn"),
            "title": .string("Sinkhorn–Newton–Schulz"),
            "experiment": .string("sinkhorn.convergence"),
            "seed": .integer(20240501),
            "paper": .table([
                "title": .string("A paper"), "authors": .string("A. Author"), "venue": .string("ICML 2024"),
                "url": .string("https://example.org/paper"), "locator": .string("Fig. 1, Table 1"),
            ]),
            "presets": .table([
                "smoke": .table(["n": .integer(50)]),
                "default": .table(["n": .integer(500)]),
                "full": .table(["n": .integer(5000)]),
            ]),
            "perf": .table(["sizes": .array([.integer(256), .integer(1024)])]),
            "claims": .array([
                claim("iteration-speedup"),
                claim("cost-gap", ["at_most": .float(1e-6)]),
                claim("ratio-band", ["between": .array([.integer(1), .float(2.5)])]),
            ]),
            "golden": .array([
                golden("*/transport_cost", ["rel": .float(1e-9)]),
                golden("*/sns_iterations", ["abs": .integer(0)]),
                golden("*", ["rel": .float(0.1), "abs": .float(1e-3), "sigmas": .float(4)]),
            ]),
            "figures": .array([figure("convergence")]),
        ]
    }

    private func decode(_ entries: [String: ManifestValue]) throws -> SuiteDeclaration {
        try SuiteDeclaration(table: ParameterTable(file: file, entries: entries))
    }

    private func error(_ entries: [String: ManifestValue]) -> ManifestError? {
        manifestError { _ = try self.decode(entries) }
    }

    private func modified(_ change: (inout [String: ManifestValue]) -> Void) -> [String: ManifestValue] {
        var entries = validEntries()
        change(&entries)
        return entries
    }

    // MARK: Valid declarations

    func testDecodesAValidDeclaration() throws {
        let suite = try decode(validEntries())
        XCTAssertEqual(suite.file, file)
        XCTAssertEqual(suite.id, "sinkhorn")
        XCTAssertEqual(suite.experiment, "sinkhorn.convergence")
        XCTAssertEqual(suite.seed, 20240501)
        XCTAssertEqual(suite.paper.locator, "Fig. 1, Table 1")
        XCTAssertEqual(suite.presetNames, [.default, .full, .smoke])
        XCTAssertEqual(suite.claims.map(\.id), ["iteration-speedup", "cost-gap", "ratio-band"])
        XCTAssertEqual(suite.claims.map(\.predicate), [.atLeast(100), .atMost(1e-6), .between(1, 2.5)])
        XCTAssertEqual(suite.claims[0].metric, MetricPattern("*/iteration_ratio"))
        XCTAssertEqual(suite.golden.map(\.relative), [1e-9, 0, 0.1])
        XCTAssertEqual(suite.golden.map(\.absolute), [0, 0, 1e-3])
        XCTAssertEqual(suite.golden.map(\.sigmas), [nil, nil, 4])
        XCTAssertEqual(suite.figures.map(\.script), ["plots/sinkhorn/convergence.gp"])
        XCTAssertEqual(suite.figures.map(\.data), ["convergence.csv"])
    }

    func testPresetReaderIsFreshAndStrict() throws {
        let suite = try decode(validEntries())
        let smoke = try suite.preset(.smoke)
        XCTAssertEqual(smoke.path, "presets.smoke")
        XCTAssertEqual(try smoke.required("n", as: Int.self), 50)
        XCTAssertNoThrow(try smoke.finish())
        // A second reader starts with nothing consumed.
        XCTAssertEqual(manifestError { try suite.preset(.smoke).finish() }?.keyPath, "presets.smoke.n")

        let missing = manifestError { _ = try suite.preset("huge") }
        XCTAssertEqual(missing?.keyPath, "presets.huge")
        XCTAssertEqual(missing?.problem, "no such preset")
        XCTAssertEqual(missing?.hint, "this suite declares: default, full, smoke")

        let perf = suite.perfTable()
        XCTAssertEqual(perf.path, "perf")
        XCTAssertEqual(try perf.required("sizes", as: [Int].self), [256, 1024])
        let withoutPerf = try decode(modified { $0["perf"] = nil })
        XCTAssertNil(withoutPerf.perfEntries)
        XCTAssertEqual(withoutPerf.perfTable().keys, [])
    }

    func testClaimsGoldenAndFiguresAreOptional() throws {
        let suite = try decode(modified {
            $0["claims"] = nil
            $0["golden"] = nil
            $0["figures"] = nil
        })
        XCTAssertTrue(suite.claims.isEmpty)
        XCTAssertNil(suite.tolerance(for: "a/transport_cost"))
    }

    // MARK: tolerance(for:)

    func testToleranceIsTheFirstMatchingGoldenEntry() throws {
        let suite = try decode(validEntries())
        XCTAssertEqual(suite.tolerance(for: "n=500/transport_cost")?.relative, 1e-9)
        XCTAssertEqual(suite.tolerance(for: "n=500/sns_iterations")?.metric, MetricPattern("*/sns_iterations"))
        XCTAssertEqual(suite.tolerance(for: "n=500/seconds")?.metric, MetricPattern("*"))

        // Declaration order decides, not specificity: a leading catch-all shadows the rest.
        let reordered = try decode(modified {
            $0["golden"] = .array([golden("*", ["rel": .float(0.5)]), golden("*/transport_cost", ["rel": .float(1e-9)])])
        })
        XCTAssertEqual(reordered.tolerance(for: "n=500/transport_cost")?.relative, 0.5)

        let narrow = try decode(modified { $0["golden"] = .array([golden("*/transport_cost")]) })
        XCTAssertNil(narrow.tolerance(for: "n=500/seconds"))
    }

    // MARK: Presets

    func testMissingSmokeOrDefaultPresetIsAnError() {
        let noSmoke = error(modified { $0["presets"] = .table(["default": .table([:])]) })
        XCTAssertEqual(noSmoke?.keyPath, "presets.smoke")
        XCTAssertEqual(noSmoke?.problem, "missing required preset")
        XCTAssertEqual(noSmoke?.file, file)

        let noDefault = error(modified { $0["presets"] = .table(["smoke": .table([:]), "full": .table([:])]) })
        XCTAssertEqual(noDefault?.keyPath, "presets.default")

        let noPresets = error(modified { $0["presets"] = nil })
        XCTAssertEqual(noPresets?.keyPath, "presets")
        XCTAssertEqual(noPresets?.problem, "missing required table")
    }

    func testPresetMustBeATable() {
        let e = error(modified { $0["presets"] = .table(["smoke": .integer(1), "default": .table([:])]) })
        XCTAssertEqual(e?.description, "suites/sinkhorn.toml: presets.smoke: expected a table, found an integer")
    }

    // MARK: Claims

    func testClaimNeedsExactlyOnePredicate() {
        let none = error(modified { $0["claims"] = .array([self.claim("c", [:]).removing("at_least")]) })
        XCTAssertEqual(none?.keyPath, "claims[0].at_least")
        XCTAssertEqual(none?.problem, "missing predicate: a claim needs exactly one of `at_least`, `at_most` or `between`")

        let two = error(modified {
            $0["claims"] = .array([self.claim("ok"), self.claim("c", ["at_least": .float(1), "at_most": .float(3)])])
        })
        // The second predicate is the one named: the first is taken as the intended one.
        XCTAssertEqual(two?.keyPath, "claims[1].at_most")
        XCTAssertEqual(two?.problem, "a claim needs exactly one predicate, found `at_least` and `at_most`")
        XCTAssertEqual(two?.hint, "keep one of `at_least`, `at_most` or `between`")

        let three = error(modified {
            $0["claims"] = .array([self.claim("c", ["at_most": .float(3), "between": .array([.float(1), .float(2)])])])
        })
        XCTAssertEqual(three?.keyPath, "claims[0].between")
        XCTAssertEqual(three?.problem, "a claim needs exactly one predicate, found `at_most` and `between`")
    }

    func testNonFiniteBoundsAreDeclarationErrors() {
        for (key, value) in [("at_least", Double.nan), ("at_least", -.infinity), ("at_most", .nan), ("at_most", .infinity)] {
            let e = error(modified { $0["claims"] = .array([self.claim("c", [:]).removing("at_least").adding(key, .float(value))]) })
            XCTAssertEqual(e?.file, file)
            XCTAssertEqual(e?.keyPath, "claims[0].\(key)", "\(key) = \(value)")
            XCTAssertEqual(e?.problem, "bound must be a finite number, got \(value)")
        }
        for pair in [[Double.nan, 2], [1, .infinity], [-.infinity, 1]] {
            let e = error(modified {
                $0["claims"] = .array([self.claim("c", [:]).removing("at_least").adding("between", .array(pair.map { .float($0) }))])
            })
            XCTAssertEqual(e?.keyPath, "claims[0].between", "\(pair)")
            XCTAssertTrue(e?.problem.hasPrefix("bound must be a finite number") ?? false, "\(String(describing: e))")
        }
    }

    func testClaimSourceIsRequiredAndStrict() throws {
        let missing = error(modified { $0["claims"] = .array([self.claim("c").removing("source")]) })
        XCTAssertEqual(missing?.keyPath, "claims[0].source")
        XCTAssertEqual(missing?.problem, "missing required key")

        func sourceError(_ source: [String: ManifestValue]) -> ManifestError? {
            error(modified { $0["claims"] = .array([self.claim("c").adding("source", .table(source))]) })
        }
        let badKind = sourceError(["kind": .string("blog"), "verified": .boolean(false), "where": .string("x")])
        XCTAssertEqual(badKind?.keyPath, "claims[0].source.kind")
        XCTAssertEqual(badKind?.problem, "unknown value \"blog\"")
        let unstated = sourceError(["kind": .string("abstract"), "where": .string("arXiv abstract")])
        XCTAssertEqual(unstated?.keyPath, "claims[0].source.verified")
        let oursVerified = sourceError(["kind": .string("ours"), "verified": .boolean(false), "where": .string("our fit")])
        XCTAssertEqual(oursVerified?.keyPath, "claims[0].source.verified")
        XCTAssertTrue(oursVerified?.problem.contains("our own diagnostic") ?? false)
        let empty = sourceError(["kind": .string("review"), "verified": .boolean(false), "where": .string(" ")])
        XCTAssertEqual(empty?.keyPath, "claims[0].source.where")
        let extra = sourceError(["kind": .string("review"), "verified": .boolean(false), "where": .string("OpenReview"), "url": .string("u")])
        XCTAssertEqual(extra?.keyPath, "claims[0].source.url")
        XCTAssertEqual(extra?.problem, "unknown key")

        let suite = try decode(modified {
            $0["claims"] = .array([
                self.claim("paper"),
                self.claim("ours").adding("source", .table(["kind": .string("ours"), "where": .string("our extrapolation")])),
                self.claim("code").adding("source", .table([
                    "kind": .string("authors-code"), "verified": .boolean(true), "where": .string("README of owner/repo"),
                ])),
            ])
        })
        XCTAssertEqual(suite.claims.map(\.source.kind), [.secondary, .ours, .authorsCode])
        XCTAssertEqual(suite.claims.map(\.source.isPaperStatement), [true, false, true])
        XCTAssertEqual(suite.claims.map(\.source.verified), [false, false, true])
        XCTAssertEqual(suite.claims[2].source.location, "README of owner/repo")
    }

    func testMaxUnmeasurableDefaultsToZeroAndMustBeNonNegative() throws {
        XCTAssertEqual(try decode(validEntries()).claims.map(\.maxUnmeasurable), [0, 0, 0])
        let declared = try decode(modified { $0["claims"] = .array([self.claim("c").adding("max_unmeasurable", .integer(3))]) })
        XCTAssertEqual(declared.claims[0].maxUnmeasurable, 3)
        let negative = error(modified { $0["claims"] = .array([self.claim("c").adding("max_unmeasurable", .integer(-1))]) })
        XCTAssertEqual(negative?.keyPath, "claims[0].max_unmeasurable")
        XCTAssertEqual(error(modified { $0["claims"] = .array([self.claim("c").adding("max_unmeasurable", .float(1.5))]) })?.problem,
                       "expected an integer, found a float")
    }

    func testBetweenMustBeAnOrderedPair() throws {
        func betweenError(_ values: [ManifestValue]) -> ManifestError? {
            error(modified { $0["claims"] = .array([self.claim("c", ["between": .array(values)])]) })
        }
        let reversed = betweenError([.float(3), .float(1)])
        XCTAssertEqual(reversed?.keyPath, "claims[0].between")
        XCTAssertEqual(reversed?.problem, "expected [lower, upper] with lower ≤ upper, got [3.0, 1.0]")
        XCTAssertEqual(betweenError([.float(1)])?.keyPath, "claims[0].between")
        XCTAssertEqual(betweenError([.float(1), .float(2), .float(3)])?.keyPath, "claims[0].between")
        XCTAssertEqual(betweenError([.float(.nan), .float(2)])?.keyPath, "claims[0].between")
        XCTAssertEqual(betweenError([.float(1), .string("2")])?.keyPath, "claims[0].between[1]")
        // A degenerate interval is allowed.
        let point = try decode(modified {
            $0["claims"] = .array([self.claim("c", ["between": .array([.float(2), .float(2)])])])
        })
        XCTAssertEqual(point.claims[0].predicate, .between(2, 2))
    }

    func testDuplicateClaimIDsAreRejected() {
        let e = error(modified {
            $0["claims"] = .array([self.claim("a"), self.claim("b"), self.claim("a")])
        })
        XCTAssertEqual(e?.keyPath, "claims[2].id")
        XCTAssertEqual(e?.problem, "duplicate claim id `a`")
    }

    func testMisspeltClaimKeyIsReportedAsUnknownWithSuggestion() {
        // `at_lest` instead of `at_least`: the claim then has no predicate, but the useful error
        // is the misspelling, not "needs exactly one predicate".
        let e = error(modified {
            $0["claims"] = .array([self.claim("c", ["at_lest": .float(100)])])
        })
        XCTAssertEqual(e?.keyPath, "claims[0].at_lest")
        XCTAssertEqual(e?.problem, "unknown key")
        XCTAssertTrue(e?.hint?.hasPrefix("did you mean `at_least`?") ?? false, "\(String(describing: e))")
    }

    func testClaimMissingPaperValue() {
        let e = error(modified {
            guard case .table(var claim) = self.claim("c") else { return }
            claim["paper_value"] = nil
            $0["claims"] = .array([.table(claim)])
        })
        XCTAssertEqual(e?.keyPath, "claims[0].paper_value")
        XCTAssertEqual(e?.problem, "missing required key")
    }

    // MARK: Golden tolerances

    func testNegativeOrNaNTolerancesAreRejected() {
        for (key, value) in [("rel", -0.1), ("abs", -1e-12), ("sigmas", -3), ("rel", .nan)] {
            let e = error(modified { $0["golden"] = .array([self.golden("*/x"), self.golden("*", [key: .float(value)])]) })
            XCTAssertEqual(e?.keyPath, "golden[1].\(key)", "\(key) = \(value)")
            XCTAssertTrue(e?.problem.hasPrefix("tolerance must be a non-negative number") ?? false, "\(String(describing: e))")
        }
    }

    func testGoldenUnknownKeyAndMissingMetric() {
        let unknown = error(modified { $0["golden"] = .array([self.golden("*", ["relative": .float(0.1)])]) })
        XCTAssertEqual(unknown?.keyPath, "golden[0].relative")
        XCTAssertEqual(unknown?.problem, "unknown key")
        let noMetric = error(modified { $0["golden"] = .array([.table(["rel": .float(0.1)])]) })
        XCTAssertEqual(noMetric?.keyPath, "golden[0].metric")
    }

    // MARK: Figures

    func testFigureScriptMustBeGnuplotAndDataCSV() {
        let script = error(modified { $0["figures"] = .array([self.figure("f", script: "plots/sinkhorn/f.py")]) })
        XCTAssertEqual(script?.description, #"suites/sinkhorn.toml: figures[0].script: expected a gnuplot script ending in .gp, got "plots/sinkhorn/f.py""#)
        let data = error(modified { $0["figures"] = .array([self.figure("f", data: "f.tsv")]) })
        XCTAssertEqual(data?.keyPath, "figures[0].data")
    }

    func testDuplicateFigureIDsAreRejected() {
        let e = error(modified { $0["figures"] = .array([self.figure("f"), self.figure("f")]) })
        XCTAssertEqual(e?.keyPath, "figures[1].id")
        XCTAssertEqual(e?.problem, "duplicate figure id `f`")
    }

    // MARK: Root and paper

    func testUnknownRootKeySuggestsTheIntendedOne() {
        let e = error(modified {
            $0["titel"] = $0["title"]
            $0["title"] = nil
        })
        // `title` is required, so its absence is reported first.
        XCTAssertEqual(e?.keyPath, "title")
        let extra = error(modified { $0["expriment"] = .string("x") })
        XCTAssertEqual(extra?.keyPath, "expriment")
        XCTAssertEqual(extra?.problem, "unknown key")
        XCTAssertTrue(extra?.hint?.hasPrefix("did you mean `experiment`?") ?? false, "\(String(describing: extra))")
    }

    func testPaperIsStrict() {
        let e = error(modified {
            guard case .table(var paper) = $0["paper"] else { return }
            paper["doi"] = .string("10.1/x")
            $0["paper"] = .table(paper)
        })
        XCTAssertEqual(e?.keyPath, "paper.doi")
        let wrongType = error(modified {
            guard case .table(var paper) = $0["paper"] else { return }
            paper["title"] = .integer(3)
            $0["paper"] = .table(paper)
        })
        XCTAssertEqual(wrongType?.description, "suites/sinkhorn.toml: paper.title: expected a string, found an integer")
    }

    func testSeedMustBeANonNegativeInteger() {
        let negative = error(modified { $0["seed"] = .integer(-1) })
        XCTAssertEqual(negative?.keyPath, "seed")
        XCTAssertEqual(negative?.problem, "must be a non-negative integer, got -1")
        XCTAssertEqual(error(modified { $0["seed"] = .string("42") })?.problem, "expected an integer, found a string")
    }
}

private extension ManifestValue {
    func removing(_ key: String) -> ManifestValue {
        guard case .table(var entries) = self else { return self }
        entries[key] = nil
        return .table(entries)
    }

    func adding(_ key: String, _ value: ManifestValue) -> ManifestValue {
        guard case .table(var entries) = self else { return self }
        entries[key] = value
        return .table(entries)
    }
}
