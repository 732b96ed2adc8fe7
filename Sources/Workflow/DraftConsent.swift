import ThreadpressModel

/// The people a draft quotes and where each of them stands, under a ``ConsentPolicy``. No I/O:
/// built from the draft's lines and the answers the store kept.
///
/// A person is their principal (account, webhook user id, or nick where nicks are trusted); people
/// the transport cannot identify are listed by nick and can never answer for themselves.
public struct DraftConsent: Sendable, Hashable {
    public struct Person: Sendable, Hashable {
        /// The nick of their first line in the draft.
        public var nick: String
        /// Lower-cased principal, or `nil` when the transport cannot identify them.
        public var principal: String?
        /// Their latest answer about this draft, if any.
        public var answer: ConsentAnswer.Answer?

        public var agreed: Bool { answer == .ok }
    }

    public var policy: ConsentPolicy
    /// Everyone with a line in the draft, in order of first appearance.
    public var people: [Person]

    public init(policy: ConsentPolicy, lines: [ChatMessage], answers: [ConsentAnswer], trustsNicks: Bool) {
        self.policy = policy
        var people: [Person] = []
        for line in lines {
            let principal = line.sender.principal(trustingNicks: trustsNicks)?.lowercased()
            let known = people.contains { person in
                principal.map { person.principal == $0 } ?? (person.principal == nil && person.nick == line.sender.nick)
            }
            if known { continue }
            let answer = principal.flatMap { p in answers.last { $0.principal.lowercased() == p }?.answer }
            people.append(Person(nick: line.sender.nick, principal: principal, answer: answer))
        }
        self.people = people
    }

    /// Whether `principal` has a line in the draft.
    public func quotes(_ principal: String?) -> Bool {
        guard let principal = principal?.lowercased() else { return false }
        return people.contains { $0.principal == principal }
    }

    /// Under ``ConsentPolicy/ask``: the people who have not agreed (approval waits for them).
    public var pending: [Person] {
        policy == .ask ? people.filter { !$0.agreed } : []
    }

    /// Under ``ConsentPolicy/pseudonymous``: each person who has not agreed gets "Colleague A",
    /// "Colleague B"… in order of first appearance; `nil` for everyone else.
    public var pseudonyms: [String: String] {
        guard policy == .pseudonymous else { return [:] }
        var names: [String: String] = [:]
        var count = 0
        for person in people where !person.agreed {
            count += 1
            names[person.nick] = "Colleague " + Self.letters(count)
        }
        return names
    }

    /// The lines and author list as the blog shows them: under ``ConsentPolicy/pseudonymous``,
    /// the names of people who did not agree are replaced, in the speaker and wherever their nick
    /// appears as a word in a line (an address like "bob: can you…").
    public func rendered(_ lines: [ChatMessage]) -> (lines: [ChatMessage], authors: [String]) {
        let names = pseudonyms
        var authors: [String] = []
        var shown: [ChatMessage] = []
        for line in lines {
            var line = line
            if !names.isEmpty {
                if let pseudonym = names[line.sender.nick] { line.sender = ChatIdentity(nick: pseudonym) }
                line.text = Self.replacingNicks(names, in: line.text)
            }
            if !authors.contains(line.sender.nick) { authors.append(line.sender.nick) }
            shown.append(line)
        }
        return (shown, authors)
    }

    /// `1` → A, `26` → Z, `27` → AA.
    static func letters(_ number: Int) -> String {
        var n = number
        var out = ""
        while n > 0 {
            let digit = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + digit))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// Replaces whole-word, case-insensitive occurrences of each nick.
    static func replacingNicks(_ names: [String: String], in text: String) -> String {
        let characters = Array(text)
        let targets = names.keys.sorted { $0.count > $1.count }.map { nick in
            (Array(nick).map { $0.lowercased() }, names[nick]!)
        }
        func isWordCharacter(_ c: Character) -> Bool {
            c.isLetter || c.isNumber || "_-[]\\`^{|}".contains(c)
        }
        var out = ""
        var index = 0
        scanning: while index < characters.count {
            let atBoundary = index == 0 || !isWordCharacter(characters[index - 1])
            if atBoundary {
                for (nick, pseudonym) in targets where index + nick.count <= characters.count {
                    var matches = true
                    for offset in 0..<nick.count where characters[index + offset].lowercased() != nick[offset] {
                        matches = false
                        break
                    }
                    let end = index + nick.count
                    if matches, end == characters.count || !isWordCharacter(characters[end]) {
                        out += pseudonym
                        index = end
                        continue scanning
                    }
                }
            }
            out.append(characters[index])
            index += 1
        }
        return out
    }
}
