import Testing
import Workflow

@Suite struct CommandParserTests {
    let parser = CommandParser(prefix: "!", maximumMessages: 200)

    @Test(arguments: [
        ("!blog", ChatCommand.blog(.currentConversation, title: nil)),
        ("!blog Deploy Friday", .blog(.currentConversation, title: "Deploy Friday")),
        ("!BLOG  spaced   out ", .blog(.currentConversation, title: "spaced out")),
        ("!blog last 20", .blog(.last(20), title: nil)),
        ("!blog last 5 Release notes", .blog(.last(5), title: "Release notes")),
        ("!blog Last minute changes", .blog(.currentConversation, title: "Last minute changes")),
        ("!blog since 09:14 Standup", .blog(.since(hour: 9, minute: 14), title: "Standup")),
        ("!blog since 9:05", .blog(.since(hour: 9, minute: 5), title: nil)),
        ("!blog since we last met", .blog(.currentConversation, title: "since we last met")),
        ("!blog Deploy Friday +ops +Release", .blog(.currentConversation, title: "Deploy Friday", tags: ["ops", "release"])),
        ("!blog last 5 +ops", .blog(.last(5), title: nil, tags: ["ops"])),
        ("!blog C++ tips", .blog(.currentConversation, title: "C++ tips")),
        ("!blog +1 for this +x<y>", .blog(.currentConversation, title: "+1 for this +x<y>")),
        ("!drafts", .drafts),
        ("!help", .help(topic: nil)),
        ("!help approve", .help(topic: "approve")),
        ("!help !blog", .help(topic: "blog")),
        ("!approve 3", .approve(draft: 3)),
        ("!approve #12", .approve(draft: 12)),
        ("!comment approve 41", .moderateComment(id: "41", action: .approve)),
        ("!comment approve 144", .moderateComment(id: "144", action: .approve)),
        ("!comment SPAM #41", .moderateComment(id: "41", action: .spam)),
        ("!comment trash 5f1c-uuid", .moderateComment(id: "5f1c-uuid", action: .trash)),
        ("!reply 41 Thanks,   glad it helped!", .replyToComment(id: "41", text: "Thanks,   glad it helped!")),
        ("!approve 3 at 2026-12-01 09:00", .approve(draft: 3, at: WallClockTime(year: 2026, month: 12, day: 1, hour: 9, minute: 0))),
        ("!approve 3 AT 2027-01-15 9:30", .approve(draft: 3, at: WallClockTime(year: 2027, month: 1, day: 15, hour: 9, minute: 30))),
        ("!reject 2", .reject(draft: 2)),
    ])
    func parsesCommands(text: String, expected: ChatCommand) {
        #expect(parser.parse(text) == expected)
    }

    @Test(arguments: ["hello", "", "!", "! blog", "!!blog", "!weather paris", "blog !blog", "!1blog", " !blog"])
    func ignoresLinesThatAreNotOurCommands(text: String) {
        #expect(parser.parse(text) == nil)
    }

    @Test(arguments: [
        ("!approve", "approve"), ("!approve x", "approve"), ("!approve 0", "approve"), ("!approve -1", "approve"),
        ("!approve 1 2", "approve"), ("!reject", "reject"), ("!blog last 0", "blog"), ("!blog last 201", "blog"),
        ("!blog since 25:00", "blog"), ("!blog since 9.30", "blog"), ("!blog last 99999999999999999999", "blog"),
        ("!approve 3 at 2026-13-01 09:00", "approve"), ("!approve 3 at 2026-12-01 24:00", "approve"),
        ("!approve 3 at tomorrow 09:00", "approve"), ("!approve 3 at 2026-12-01", "approve"),
        ("!comment 41", "comment"), ("!comment delete 41", "comment"), ("!comment approve 4;1", "comment"),
        ("!reply 41", "reply"), ("!reply", "reply"), ("!reply <b> hi", "reply"),
    ])
    func rejectsMalformedArgumentsWithUsage(text: String, name: String) {
        guard case .invalid(let invalidName, let problem) = parser.parse(text) else {
            Issue.record("expected .invalid for \(text)")
            return
        }
        #expect(invalidName == name)
        #expect(!problem.isEmpty)
    }

    @Test func honoursAConfiguredPrefix() {
        let dot = CommandParser(prefix: "..")
        #expect(dot.parse("..approve 1") == .approve(draft: 1))
        #expect(dot.parse("!approve 1") == nil)
    }

    @Test func foldsControlCharactersOutOfTitles() {
        #expect(parser.parse("!blog a\u{0}b\rPRIVMSG #x :hi") == .blog(.currentConversation, title: "a b PRIVMSG #x :hi"))
    }

    @Test func limitsTitleLength() {
        guard case .blog(_, let title?, _) = parser.parse("!blog " + String(repeating: "word ", count: 100)) else {
            Issue.record("no title")
            return
        }
        #expect(title.count <= 120)
        #expect(title.hasSuffix("…"))
    }
}
