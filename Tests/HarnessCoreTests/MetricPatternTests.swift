import TestSupport
import XCTest
@testable import HarnessCore

final class MetricPatternTests: XCTestCase {
    private func matches(_ pattern: String, _ name: String) -> Bool {
        MetricPattern(pattern).matches(MetricName(name))
    }

    func testNoStarIsExactMatch() {
        XCTAssertTrue(matches("a/b", "a/b"))
        XCTAssertFalse(matches("a/b", "a/bc"))
        XCTAssertFalse(matches("a/b", "xa/b"))
        XCTAssertFalse(matches("a/b", "a/"))
        XCTAssertFalse(matches("a/b", ""))
        XCTAssertFalse(matches("A/b", "a/b"), "matching is case-sensitive")
    }

    func testLoneStarMatchesEverythingIncludingEmpty() {
        XCTAssertTrue(matches("*", ""))
        XCTAssertTrue(matches("*", "anything/at/all"))
        XCTAssertTrue(matches("**", "x"))
        XCTAssertTrue(matches("**", ""))
    }

    func testPrefixStar() {
        XCTAssertTrue(matches("*/transport_cost", "random-assignment/n=500/eta=100/transport_cost"))
        XCTAssertTrue(matches("*/transport_cost", "/transport_cost"))
        XCTAssertFalse(matches("*/transport_cost", "transport_cost"))
        XCTAssertFalse(matches("*/transport_cost", "a/transport_cost/x"))
        XCTAssertTrue(matches("*ab", "aab"), "backtracking after a partial match")
    }

    func testSuffixStar() {
        XCTAssertTrue(matches("random-assignment/*", "random-assignment/n=500/sns_iterations"))
        XCTAssertTrue(matches("random-assignment/*", "random-assignment/"))
        XCTAssertFalse(matches("random-assignment/*", "random-assignment"))
        XCTAssertFalse(matches("random-assignment/*", "other/random-assignment/x"))
    }

    func testMiddleStar() {
        XCTAssertTrue(matches("n=*/cost", "n=500/cost"))
        XCTAssertTrue(matches("n=*/cost", "n=/cost"))
        XCTAssertTrue(matches("n=*/cost", "n=5/x/cost"))
        XCTAssertFalse(matches("n=*/cost", "n=5/costs"))
        XCTAssertFalse(matches("n=*/cost", "m=5/cost"))
    }

    func testMultipleStars() {
        XCTAssertTrue(matches("*/n=*/sns_*", "random/n=500/sns_iterations"))
        XCTAssertTrue(matches("a*b*c", "abc"))
        XCTAssertTrue(matches("a*b*c", "aXbYc"))
        XCTAssertTrue(matches("a*b*c", "abbbcbc"))
        XCTAssertFalse(matches("a*b*c", "acb"))
        XCTAssertFalse(matches("a*b*c", "abcd"))
        XCTAssertTrue(matches("*a*a*a*", "banana/a"))
        XCTAssertFalse(matches("*a*a*a*a*", "banana"))
    }

    func testEmptyText() {
        XCTAssertTrue(matches("*", ""))
        XCTAssertFalse(matches("a*", ""))
        XCTAssertFalse(matches("*a", ""))
        XCTAssertTrue(matches("", ""))
        XCTAssertFalse(matches("", "a"))
    }

    func testNonASCIIIsMatchedByteWise() {
        XCTAssertTrue(matches("*/η=*", "sinkhorn/η=100"))
        XCTAssertTrue(matches("*é", "café"))
        XCTAssertFalse(matches("*é", "cafe"))
    }

    func testMatchesInSequenceAreFilteredAndSorted() {
        let names: [MetricName] = ["b/cost", "a/time", "c/cost", "a/cost", "cost"]
        XCTAssertEqual(MetricPattern("*/cost").matches(in: names), ["a/cost", "b/cost", "c/cost"])
        XCTAssertEqual(MetricPattern("nothing").matches(in: names), [])
    }

    func testDecodingFromDeclaration() throws {
        let context = DecodingContext(file: "suites/x.toml", keyPath: "claims[0].metric")
        XCTAssertEqual(try MetricPattern.decode(.string("*/cost"), context: context), MetricPattern("*/cost"))
        XCTAssertEqual(
            manifestError { _ = try MetricPattern.decode(.string(""), context: context) }?.description,
            "suites/x.toml: claims[0].metric: empty metric pattern")
        XCTAssertEqual(
            manifestError { _ = try MetricPattern.decode(.integer(3), context: context) }?.description,
            "suites/x.toml: claims[0].metric: expected a string, found an integer")
    }

    func testBracesMatchEitherAlternative() {
        XCTAssertTrue(matches("*/n={300,500}/cost", "a/n=300/cost"))
        XCTAssertTrue(matches("*/n={300,500}/cost", "b/n=500/cost"))
        XCTAssertFalse(matches("*/n={300,500}/cost", "a/n=1000/cost"))
        XCTAssertFalse(matches("*/n={300,500}/cost", "a/n=300500/cost"))
        XCTAssertTrue(matches("{a,b}/{x,}y", "b/y"), "an empty alternative matches nothing there")
        XCTAssertTrue(matches("{a,b}/{x,}y", "a/xy"))
        XCTAssertFalse(matches("{a,b}/{x,}y", "c/xy"))
        XCTAssertTrue(matches("{*/n=300,*/n=500}/*", "deep/case/n=500/sns_iterations"))
        XCTAssertEqual(try MetricPattern.expandBraces("p{1,2}q{a,b}r"), ["p1qar", "p1qbr", "p2qar", "p2qbr"])
    }

    func testMalformedBracesAreDeclarationErrors() {
        let context = DecodingContext(file: "suites/x.toml", keyPath: "claims[0].metric")
        for (pattern, problem) in [
            ("*/n={300,500/cost", "'{' without a matching '}'"),
            ("*/n=300}/cost", "'}' without a matching '{'"),
            ("*/{a,{b,c}}", "nested braces are not supported"),
            ("*/n={300}/cost", "braces need at least two alternatives separated by ',', as in {300,500}"),
        ] {
            XCTAssertEqual(
                manifestError { _ = try MetricPattern.decode(.string(pattern), context: context) }?.description,
                "suites/x.toml: claims[0].metric: metric pattern \"\(pattern)\": \(problem)", pattern)
        }
    }

    func testBraceBombsAreRefusedNotExpanded() {
        // 2^13 combinations: refused before they are built (the fuzzer's 2^2000 would exhaust memory).
        let bomb = String(repeating: "{a,b}", count: 13)
        XCTAssertThrowsError(try MetricPattern.expandBraces(bomb))
        XCTAssertEqual(try MetricPattern.expandBraces(String(repeating: "{a,b}", count: 12)).count, 4096)
        let context = DecodingContext(file: "suites/x.toml", keyPath: "claims[0].metric")
        XCTAssertTrue(manifestError { _ = try MetricPattern.decode(.string(bomb), context: context) }?.description
            .contains("expand to more than 4096 alternatives") == true)
    }
}
