import ArgumentParser
import HarnessCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered suites, their papers and presets.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let workspace = try common.workspace()
        var table = TextTable("suite", "paper", "presets", "claims", "title")
        for suite in workspace.declarations {
            table.add(
                suite.id.rawValue, "\(suite.paper.authors), \(suite.paper.venue)",
                suite.presetNames.map(\.rawValue).joined(separator: ","), String(suite.claims.count), suite.title)
        }
        print(table.rendered(indent: ""))
    }
}
