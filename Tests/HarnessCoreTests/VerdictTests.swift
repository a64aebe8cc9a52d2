import HarnessCore
import XCTest

/// Claim verdicts: reproduced, not reproduced or inconclusive, decided by the metric's interval.
final class VerdictTests: XCTestCase {
    private func verdict(_ predicate: ClaimPredicate, _ value: Double, _ interval: (Double, Double)? = nil) -> Verdict {
        ClaimEvaluator.verdict(predicate, value: value, interval: interval.map { MetricInterval(lower: $0.0, upper: $0.1, level: 0.95) })
    }

    func testPointValues() {
        XCTAssertEqual(verdict(.atLeast(10), 12), .reproduced)
        XCTAssertEqual(verdict(.atLeast(10), 10), .reproduced)
        XCTAssertEqual(verdict(.atLeast(10), 9.99), .notReproduced)
        XCTAssertEqual(verdict(.atMost(0.05), 0.01), .reproduced)
        XCTAssertEqual(verdict(.atMost(0.05), 0.5), .notReproduced)
        XCTAssertEqual(verdict(.between(0.8, 1.2), 1.0), .reproduced)
        XCTAssertEqual(verdict(.between(0.8, 1.2), 1.3), .notReproduced)
        XCTAssertEqual(verdict(.between(0.8, 1.2), 0.7), .notReproduced)
    }

    func testIntervalsStraddlingTheThresholdAreInconclusive() {
        XCTAssertEqual(verdict(.atLeast(1), 1.1, (0.9, 1.3)), .inconclusive)
        XCTAssertEqual(verdict(.atLeast(1), 1.1, (1.01, 1.3)), .reproduced)
        XCTAssertEqual(verdict(.atLeast(1), 0.8, (0.7, 0.95)), .notReproduced)
        XCTAssertEqual(verdict(.atMost(1), 0.9, (0.8, 1.05)), .inconclusive)
        XCTAssertEqual(verdict(.between(0.35, 0.65), 0.5, (0.3, 0.6)), .inconclusive)
        XCTAssertEqual(verdict(.between(0.35, 0.65), 0.5, (0.4, 0.6)), .reproduced)
        XCTAssertEqual(verdict(.between(0.35, 0.65), 0.9, (0.7, 1.1)), .notReproduced)
    }

    func testLowerBoundsFromCappedBaselines() {
        // "At least 40": a baseline that hit its iteration cap gives a one-sided bound.
        XCTAssertEqual(verdict(.atLeast(10), 40, (40, .infinity)), .reproduced)
        XCTAssertEqual(verdict(.atLeast(10), 5, (5, .infinity)), .inconclusive)
    }

    func testNaNIsInconclusive() {
        XCTAssertEqual(verdict(.atLeast(1), .nan), .inconclusive)
        XCTAssertEqual(verdict(.atMost(1), 0.5, (.nan, 0.7)), .inconclusive)
    }

    func testPatternClaimTakesTheWorstMatch() throws {
        let table = ParameterTable(file: "suites/t.toml", path: "claims[0]", entries: [
            "id": .string("speedup"), "statement": .string("s"), "metric": .string("*/ratio"),
            "at_least": .integer(10), "paper_value": .string("100x"),
            "source": .table(["kind": .string("abstract"), "verified": .boolean(false), "where": .string("arXiv abstract")]),
            "max_unmeasurable": .integer(1),
        ])
        let root = ParameterTable(file: "suites/t.toml", entries: [
            "id": .string("t"), "title": .string("t"), "experiment": .string("e"), "seed": .integer(1),
            "paper": .table(["title": .string("p"), "authors": .string("a"), "venue": .string("v"), "url": .string("u"), "locator": .string("l")]),
            "presets": .table(["smoke": .table([:]), "default": .table([:])]),
            "claims": .array([.table(table.entries)]),
        ])
        let declaration = try SuiteDeclaration(table: root)
        let metrics: [MetricName: Metric] = [
            "a/ratio": .numeric(50), "b/ratio": .numeric(12), "c/ratio": .numeric(11, interval: MetricInterval(lower: 9, upper: 13, level: 0.95)),
            "a/other": .numeric(1),
        ]
        let results = try ClaimEvaluator.evaluate(declaration.claims, metrics: metrics, file: declaration.file)
        XCTAssertEqual(results[0].observations.map(\.metric), ["a/ratio", "b/ratio", "c/ratio"])
        XCTAssertEqual(results[0].verdict, .inconclusive)
        XCTAssertEqual(results[0].deciding, "c/ratio")
        var allHold = metrics
        allHold["c/ratio"] = .numeric(11)
        // All reproduced: the deciding one is the closest to the threshold (11 ≥ 10), not the first.
        XCTAssertEqual(try ClaimEvaluator.evaluate(declaration.claims, metrics: allHold, file: declaration.file)[0].deciding, "c/ratio")
        var failing = metrics
        failing["b/ratio"] = .numeric(3)
        XCTAssertEqual(try ClaimEvaluator.evaluate(declaration.claims, metrics: failing, file: declaration.file)[0].verdict, .notReproduced)
        failing = metrics
        failing["c/ratio"] = .numeric(11)
        XCTAssertEqual(try ClaimEvaluator.evaluate(declaration.claims, metrics: failing, file: declaration.file)[0].verdict, .reproduced)
        // NaN matches are not evaluable: up to max_unmeasurable (1 here) are set aside.
        var partial = metrics
        partial["c/ratio"] = .numeric(.nan)
        XCTAssertEqual(try ClaimEvaluator.evaluate(declaration.claims, metrics: partial, file: declaration.file)[0].verdict, .reproduced)
        // Two unmeasurable matches exceed the allowance: one holding match is not enough.
        partial["b/ratio"] = .numeric(.nan)
        let thin = try ClaimEvaluator.evaluate(declaration.claims, metrics: partial, file: declaration.file)[0]
        XCTAssertEqual(thin.verdict, .inconclusive)
        XCTAssertEqual(thin.unmeasurable, 2)
        XCTAssertEqual(thin.maxUnmeasurable, 1)
        XCTAssertEqual(thin.source?.kind, .abstract)
        let unmeasurable: [MetricName: Metric] = ["a/ratio": .numeric(.nan)]
        XCTAssertEqual(try ClaimEvaluator.evaluate(declaration.claims, metrics: unmeasurable, file: declaration.file)[0].verdict, .inconclusive)
        XCTAssertThrowsError(try ClaimEvaluator.evaluate(declaration.claims, metrics: ["x": .numeric(1)], file: declaration.file)) { error in
            XCTAssertTrue("\(error)".contains("metric \"*/ratio\" matches nothing"), "\(error)")
        }
    }

    private func observation(_ value: Double, _ verdict: Verdict) -> ClaimObservation {
        ClaimObservation(metric: "m", value: value, interval: nil, verdict: verdict)
    }

    func testUnmeasurableMatchesBeyondTheAllowanceMakeTheClaimInconclusive() {
        let oneHoldsRestNaN = [observation(2, .reproduced), observation(.nan, .inconclusive), observation(.nan, .inconclusive)]
        // Default 0: a claim with any unmeasured match is not reproduced by the others alone.
        XCTAssertEqual(ClaimEvaluator.combined(oneHoldsRestNaN, maxUnmeasurable: 0), .inconclusive)
        XCTAssertEqual(ClaimEvaluator.combined(oneHoldsRestNaN, maxUnmeasurable: 1), .inconclusive)
        XCTAssertEqual(ClaimEvaluator.combined(oneHoldsRestNaN, maxUnmeasurable: 2), .reproduced)
        // A refuting match decides whatever else could not be measured.
        let refuted = [observation(0.1, .notReproduced), observation(.nan, .inconclusive)]
        XCTAssertEqual(ClaimEvaluator.combined(refuted, maxUnmeasurable: 0), .notReproduced)
        XCTAssertEqual(ClaimEvaluator.combined([observation(.nan, .inconclusive)], maxUnmeasurable: 5), .inconclusive)
        XCTAssertEqual(ClaimEvaluator.combined([observation(2, .reproduced), observation(3, .reproduced)], maxUnmeasurable: 0), .reproduced)
    }

    /// A stochastic metric (mean ± standard error, t-interval) whose interval straddles the bound
    /// makes the claim inconclusive; the same mean with a tighter interval decides it.
    func testStochasticMetricStraddlingTheBoundIsInconclusive() throws {
        let root = ParameterTable(file: "suites/t.toml", entries: [
            "id": .string("t"), "title": .string("t"), "experiment": .string("e"), "seed": .integer(1),
            "paper": .table(["title": .string("p"), "authors": .string("a"), "venue": .string("v"), "url": .string("u"), "locator": .string("l")]),
            "presets": .table(["smoke": .table([:]), "default": .table([:])]),
            "claims": .array([.table([
                "id": .string("share"), "statement": .string("s"), "metric": .string("*/share"), "at_most": .float(0.05),
                "paper_value": .string("CLT above h_CLT"),
                "source": .table(["kind": .string("abstract"), "verified": .boolean(false), "where": .string("arXiv abstract")]),
            ])]),
        ])
        let declaration = try SuiteDeclaration(table: root)
        func verdict(mean: Double, samples: [Double]) throws -> Verdict {
            let metric = Metric.stochastic(samples: samples)
            XCTAssertEqual(metric.value, mean, accuracy: 1e-15)
            return try ClaimEvaluator.evaluate(declaration.claims, metrics: ["a/share": metric], file: declaration.file)[0].verdict
        }
        // Mean 0.045 below the bound 0.05, but the spread puts the 95% interval across it.
        XCTAssertEqual(try verdict(mean: 0.045, samples: [0.02, 0.07, 0.03, 0.06]), .inconclusive)
        // Same mean, tight replicates: the whole interval is below 0.05.
        XCTAssertEqual(try verdict(mean: 0.045, samples: [0.044, 0.046, 0.045, 0.045]), .reproduced)
        XCTAssertEqual(try verdict(mean: 0.08, samples: [0.079, 0.081, 0.08, 0.08]), .notReproduced)
    }

    func testVerdictSpelling() throws {
        XCTAssertEqual(Verdict.notReproduced.rawValue, "not reproduced")
        XCTAssertLessThan(Verdict.reproduced, Verdict.inconclusive)
        XCTAssertLessThan(Verdict.inconclusive, Verdict.notReproduced)
    }
}
