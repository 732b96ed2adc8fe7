import ConfigurationReading
/// Why a configuration could not be loaded: every problem found, not just the first.
///
/// ```swift
/// do {
///     let configuration = try ConfigurationLoader.load(path: "config.json")
/// } catch let error as ConfigurationError {
///     print(error)  // one line per problem
/// }
/// ```
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems in the order they were found (document order, unknown keys at the end of
    /// their object).
    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One line per problem, each `<file>: <path>: <message>`.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
