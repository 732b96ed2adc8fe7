import Foundation
import Testing
import Workflow

/// docs/COMMANDS.md is the users' reference: every usage in the command table is documented there,
/// and every command documented there exists, so the page and `!help` cannot drift apart.
@Suite struct CommandsDocumentationTests {
    /// The backticked `!…` usages in the first column of the page's tables (`\|` unescaped).
    static func documentedUsages() throws -> [String] {
        let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/COMMANDS.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        var usages: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `!") {
            // The first cell ends at the first "|" that is not escaped.
            var cell = ""
            var previous: Character = " "
            for character in line.dropFirst() {
                if character == "|" && previous != "\\" { break }
                cell.append(character)
                previous = character
            }
            let parts = cell.split(separator: "`", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() where index % 2 == 1 && part.hasPrefix("!") {
                usages.append(part.replacingOccurrences(of: "\\|", with: "|"))
            }
        }
        return usages
    }

    /// A row that is about every form of `!blog` rather than one usage.
    static let generalRows: Set<String> = ["!blog … [+tag…]"]

    @Test func everyUsageInTheCommandTableIsDocumented() throws {
        let documented = Set(try Self.documentedUsages())
        #expect(documented.count > 20)
        for specification in CommandTable.all {
            for usage in specification.usages {
                let line = usage.isEmpty ? "!\(specification.name)" : "!\(specification.name) \(usage)"
                #expect(documented.contains(line), "docs/COMMANDS.md does not document `\(line)`")
            }
        }
    }

    @Test func everyDocumentedUsageIsInTheCommandTable() throws {
        let known = Set(
            CommandTable.all.flatMap { specification in
                specification.usages.map { $0.isEmpty ? "!\(specification.name)" : "!\(specification.name) \($0)" }
            })
        // `!comment approve ID` is one usage of the table's three, listed together on the page.
        for usage in try Self.documentedUsages() where !Self.generalRows.contains(usage) {
            #expect(known.contains(usage), "docs/COMMANDS.md documents `\(usage)`, which the command table does not have")
        }
    }
}
