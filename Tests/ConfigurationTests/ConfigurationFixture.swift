import Foundation
import ThreadpressTesting
import Testing

import BlogEngines
import ChatTransports
@testable import Configuration
@testable import ConfigurationReading

/// The configuration contract from config.example.json, one section per entry, so tests can
/// replace or remove one section at a time.
let exampleSections: [(key: String, json: String)] = [
    ("chat", ##"{ "kind": "logfile", "logfile": { "path": "examples/team.log", "format": "weechat", "channel": "#team" } }"##),
    ("blog", #"{ "kind": "markdown", "markdown": { "directory": "example-blog" } }"#),
    ("store", #"{ "path": "threadpress.sqlite" }"#),
    ("roles", #"{ "approvers": ["clark"] }"#),
    ("conversation", #"{ "gap_minutes": 15 }"#),
    ("commands", #"{ "prefix": "!" }"#),
]

/// The example configuration with `changes` applied: a section's JSON replaced, `nil` to remove
/// it, or a new top-level key added at the end.
func exampleJSON(_ changes: [String: String?] = [:]) -> String {
    var sections = exampleSections
    for (key, replacement) in changes.sorted(by: { $0.key < $1.key }) {
        if let index = sections.firstIndex(where: { $0.key == key }) {
            if let replacement = replacement { sections[index].json = replacement } else { sections.remove(at: index) }
        } else if let replacement = replacement {
            sections.append((key, replacement))
        }
    }
    return "{\n" + sections.map { "  \"\($0.key)\": \($0.json)" }.joined(separator: ",\n") + "\n}\n"
}

/// A temporary folder laid out like a deployment: `examples/team.log` exists, the configuration
/// is parsed as if it lived in the folder.
final class ConfigurationFixture {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory(prefix: "threadpress-config")
        try folder.write("examples/team.log", "")
    }

    deinit { folder.remove() }

    func parse(_ json: String, environment: [String: String] = [:]) throws -> ThreadpressConfiguration {
        try ConfigurationLoader.parse(
            data: Data(json.utf8), sourceName: "config.json", baseDirectory: folder.path, environment: environment)
    }

    /// The problems `json` produces, with the folder's path written as `$DIR`; empty if it loads.
    func problems(_ json: String, environment: [String: String] = [:]) -> [String] {
        problems(data: Data(json.utf8), environment: environment)
    }

    func problems(data: Data, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigurationLoader.parse(
                data: data, sourceName: "config.json", baseDirectory: folder.path, environment: environment)
            return []
        } catch let error as ConfigurationError {
            return error.problems.map { $0.description.replacingOccurrences(of: folder.path, with: "$DIR") }
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }
}
