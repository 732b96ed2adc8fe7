import ThreadpressModel
/// Turns a chat line into a ``ChatCommand``, or `nil` when the line is not one of ours.
///
/// Lines that start with the prefix but name no known command are not ours (other bots share
/// channels), so they are ignored silently rather than answered.
///
/// ```swift
/// let parser = CommandParser(prefix: "!")
/// parser.parse("!blog last 20 Release notes")  // .blog(.last(20), title: "Release notes")
/// ```
public struct CommandParser: Sendable {
    public var prefix: String
    /// The longest title kept, in characters.
    public var maximumTitleLength = 120
    /// The largest N accepted by `last N`.
    public var maximumMessages: Int

    public init(prefix: String, maximumMessages: Int = 200) {
        self.prefix = prefix
        self.maximumMessages = maximumMessages
    }

    /// Whether `text` looks like any bot command (ours or another bot's): the prefix, then a letter.
    public func looksLikeCommand(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        return text.dropFirst(prefix.count).first?.isLetter ?? false
    }

    public func parse(_ text: String) -> ChatCommand? {
        guard looksLikeCommand(text) else { return nil }
        let body = text.dropFirst(prefix.count)
        let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let name = words.first?.lowercased(), let specification = CommandTable.specification(named: name) else {
            return nil
        }
        let arguments = Array(words.dropFirst())
        let usage = CommandTable.usage(of: specification, prefix: prefix)
        switch name {
        case "blog": return parseBlog(arguments, usage: usage)
        case "drafts": return .drafts
        case "help": return .help(topic: arguments.first.map { String($0.lowercased().trimmingPrefix(prefix)) })
        case "approve" where arguments.count == 4 && arguments[1].lowercased() == "at":
            guard let number = Self.draftNumber(arguments[0]),
                let time = WallClockTime(date: arguments[2], time: arguments[3])
            else {
                return .invalid(name: name, problem: "usage: \(usage) (a date as YYYY-MM-DD and a 24-hour time as HH:MM)")
            }
            return .approve(draft: number, at: time)
        case "comment":
            guard arguments.count == 2, let action = CommentModeration(rawValue: arguments[0].lowercased()),
                let id = Self.commentID(arguments[1])
            else {
                return .invalid(name: name, problem: "usage: \(usage) (ID is the number in a comment announcement)")
            }
            return .moderateComment(id: id, action: action)
        case "reply":
            let text = body.drop { $0 != " " && $0 != "\t" }.drop { $0 == " " || $0 == "\t" }
                .drop { $0 != " " && $0 != "\t" }.trimmingSpaces()
            guard arguments.count >= 2, let id = Self.commentID(arguments[0]), !text.isEmpty else {
                return .invalid(name: name, problem: "usage: \(usage) (ID is the number in a comment announcement)")
            }
            return .replyToComment(id: id, text: String(text.prefix(4_000)))
        case "approve", "reject", "preview", "ok", "redact", "forget":
            guard arguments.count == 1, let number = Self.draftNumber(arguments[0]) else {
                return .invalid(name: name, problem: "usage: \(usage) (N is a draft number, see \(prefix)drafts)")
            }
            switch name {
            case "approve": return .approve(draft: number)
            case "reject": return .reject(draft: number)
            case "preview": return .preview(draft: number)
            case "ok": return .consent(draft: number)
            case "redact": return .redact(draft: number)
            default: return .forget(draft: number)
            }
        case "log":
            guard arguments.count <= 1 else { return .invalid(name: name, problem: "usage: \(usage)") }
            guard let word = arguments.first else { return .log(count: 10) }
            guard let count = Int(word), (1...maximumMessages).contains(count) else {
                return .invalid(name: name, problem: "\(prefix)log takes N from 1 to \(maximumMessages)")
            }
            return .log(count: count)
        case "optout", "optin":
            guard arguments.isEmpty else { return .invalid(name: name, problem: "usage: \(usage) (it takes no arguments)") }
            return name == "optout" ? .optOut : .optIn
        case "override":
            let reason = Self.rest(of: body, afterWords: 2)
            guard arguments.count >= 2, let number = Self.draftNumber(arguments[0]), !reason.isEmpty else {
                return .invalid(name: name, problem: "usage: \(usage) (the reason is shown with the post's approval)")
            }
            return .overrideConsent(draft: number, reason: String(ChatReply.oneLine(reason).prefix(300)))
        case "draft":
            return parseDraftEdit(arguments, body: body, usage: usage)
        case "role":
            return parseRole(arguments, usage: usage)
        default: return nil
        }
    }

    /// The text after the first `count` words of `body`, trimmed.
    static func rest(of body: Substring, afterWords count: Int) -> String {
        var rest = body[...]
        for _ in 0..<count {
            rest = rest.drop { $0 == " " || $0 == "\t" }.drop { $0 != " " && $0 != "\t" }
        }
        return rest.trimmingSpaces()
    }

    private func parseDraftEdit(_ arguments: [String], body: Substring, usage: String) -> ChatCommand {
        let problem = "usage: \(usage)"
        guard arguments.count >= 2, let number = Self.draftNumber(arguments[0]) else {
            return .invalid(name: "draft", problem: problem + " (N is a draft number, see \(prefix)drafts)")
        }
        let values = Array(arguments.dropFirst(2))
        switch arguments[1].lowercased() {
        case "title":
            let title = ChatTextNormalizer.title(Self.rest(of: body, afterWords: 3), maximumLength: maximumTitleLength)
            guard !title.isEmpty else { return .invalid(name: "draft", problem: "\(prefix)draft \(number) title needs the new title") }
            return .editDraft(draft: number, .title(title))
        case "intro":
            let intro = ChatReply.oneLine(Self.rest(of: body, afterWords: 3))
            return .editDraft(draft: number, .intro(String(intro.prefix(2_000))))
        case "drop":
            var ranges: [ClosedRange<Int>] = []
            for word in values {
                guard let range = Self.lineRange(word) else {
                    return .invalid(
                        name: "draft",
                        problem: "\(prefix)draft \(number) drop takes line numbers from \(prefix)preview \(number), like 3 or 3-5, got \(ChatReply.oneLine(word).prefix(20))")
                }
                ranges.append(range)
            }
            guard !ranges.isEmpty else { return .invalid(name: "draft", problem: "\(prefix)draft \(number) drop needs line numbers, like 3-5") }
            return .editDraft(draft: number, .drop(ranges))
        case "add":
            var references: [Int64] = []
            for word in values {
                guard let reference = Self.reference(word) else {
                    return .invalid(
                        name: "draft",
                        problem: "\(prefix)draft \(number) add takes message references from \(prefix)log, got \(ChatReply.oneLine(word).prefix(20))")
                }
                if !references.contains(reference) { references.append(reference) }
            }
            guard !references.isEmpty, references.count <= maximumMessages else {
                return .invalid(name: "draft", problem: "\(prefix)draft \(number) add needs 1 to \(maximumMessages) references from \(prefix)log")
            }
            return .editDraft(draft: number, .add(references))
        case "tag", "tags":
            var tags: [String] = []
            for word in values {
                guard let tag = Self.tag(word.hasPrefix("+") ? word : "+" + word) else {
                    return .invalid(
                        name: "draft",
                        problem: "a tag is letters, digits, - and _ (at most 40), got \(ChatReply.oneLine(word).prefix(20))")
                }
                if !tags.contains(tag) { tags.append(tag) }
            }
            return .editDraft(draft: number, .tags(Array(tags.prefix(10))))
        default:
            return .invalid(name: "draft", problem: problem)
        }
    }

    private func parseRole(_ arguments: [String], usage: String) -> ChatCommand {
        if arguments.count == 1, arguments[0].lowercased() == "list" { return .role(.list) }
        guard arguments.count == 3, ["add", "remove"].contains(arguments[0].lowercased()),
            let role = RoleGrant.Role(rawValue: arguments[1].lowercased()),
            !arguments[2].isEmpty, arguments[2].count <= 100,
            !arguments[2].unicodeScalars.contains(where: UnicodeHazards.isHazard)
        else { return .invalid(name: "role", problem: "usage: \(usage)") }
        let principal = arguments[2]
        return .role(arguments[0].lowercased() == "add" ? .add(role, principal: principal) : .remove(role, principal: principal))
    }

    /// `212` or `#212`: a message reference as `!log` shows it.
    static func reference(_ word: String) -> Int64? { draftNumber(word) }

    /// `3` or `3-5`, from 1.
    static func lineRange(_ word: String) -> ClosedRange<Int>? {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
            let low = Int(parts[0]), let high = Int(parts.last!), low >= 1, low <= high
        else { return nil }
        return low...high
    }

    private func parseBlog(_ arguments: [String], usage: String) -> ChatCommand {
        var rest = arguments[...]
        var selection = ConversationSelection.currentConversation
        if let first = rest.first?.lowercased(), rest.count >= 2 {
            let second = rest[rest.startIndex + 1]
            if first == "last", !second.isEmpty, second.allSatisfy({ $0.isASCII && $0.isNumber }), Int(second) == nil {
                return .invalid(name: "blog", problem: "last N takes N from 1 to \(maximumMessages), got a number too large")
            }
            if first == "last", let count = Int(second) {
                guard (1...maximumMessages).contains(count) else {
                    return .invalid(name: "blog", problem: "last N takes N from 1 to \(maximumMessages), got \(count)")
                }
                selection = .last(count)
                rest = rest.dropFirst(2)
            } else if first == "since", let time = Self.clockTime(rest[rest.startIndex + 1]) {
                selection = .since(hour: time.hour, minute: time.minute)
                rest = rest.dropFirst(2)
            } else if first == "since", rest[rest.startIndex + 1].contains(where: { $0 == ":" || $0.isNumber }) {
                return .invalid(name: "blog", problem: "since takes a time as HH:MM (00:00 to 23:59); usage: \(usage)")
            } else if first == "from" {
                guard let from = Self.reference(rest[rest.startIndex + 1]) else {
                    return .invalid(name: "blog", problem: "from takes a message reference as \(prefix)log shows it; usage: \(usage)")
                }
                rest = rest.dropFirst(2)
                var to: Int64?
                if rest.first?.lowercased() == "to" {
                    guard rest.count >= 2, let end = Self.reference(rest[rest.startIndex + 1]) else {
                        return .invalid(name: "blog", problem: "to takes a message reference as \(prefix)log shows it; usage: \(usage)")
                    }
                    guard end >= from else {
                        return .invalid(name: "blog", problem: "the range runs backwards (from \(from) to \(end)); put the earlier reference first")
                    }
                    to = end
                    rest = rest.dropFirst(2)
                }
                selection = .range(from: from, to: to)
            } else if first == "about" {
                var words: [String] = []
                for word in rest.dropFirst() where Self.tag(word) == nil {
                    let folded = word.lowercased().trimmed(where: { $0.isPunctuation })
                    if !folded.isEmpty, !words.contains(folded) { words.append(folded) }
                }
                let tags = rest.dropFirst().compactMap(Self.tag)
                guard !words.isEmpty else {
                    return .invalid(name: "blog", problem: "about needs the words to look for; usage: \(usage)")
                }
                return .blog(.about(Array(words.prefix(10))), title: nil, tags: Array(tags.prefix(10)))
            }
        }
        // Trailing `+word`s are tags: `!blog Deploy Friday +ops +release`.
        var tags: [String] = []
        while let last = rest.last, let tag = Self.tag(last) {
            if !tags.contains(tag) { tags.insert(tag, at: 0) }
            rest = rest.dropLast()
        }
        let title = ChatTextNormalizer.title(rest.joined(separator: " "), maximumLength: maximumTitleLength)
        return .blog(selection, title: title.isEmpty ? nil : title, tags: Array(tags.prefix(10)))
    }

    /// `+ops` → `ops`: letters, digits, `-` and `_`, at most 40 characters, lower-cased.
    static func tag(_ word: String) -> String? {
        guard word.hasPrefix("+"), word.count > 1, word.count <= 41 else { return nil }
        let name = word.dropFirst().lowercased()
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return name
    }

    /// A comment id as announcements show it: digits (WordPress) or a Staticman id, optional `#`.
    static func commentID(_ word: String) -> String? {
        let id = word.hasPrefix("#") ? String(word.dropFirst()) : word
        guard !id.isEmpty, id.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
        else { return nil }
        return id
    }

    /// `3` or `#3`, positive.
    static func draftNumber(_ word: String) -> Int64? {
        let digits = word.hasPrefix("#") ? String(word.dropFirst()) : word
        guard let number = Int64(digits), number > 0 else { return nil }
        return number
    }

    /// `9:05` or `09:05`, 24-hour.
    static func clockTime(_ word: String) -> (hour: Int, minute: Int)? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return (hour, minute)
    }
}
