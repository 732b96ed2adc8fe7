import BlogEngines
import BotRuntime
import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting
import Workflow

/// The whole bot (real store, real Markdown folder) living in a channel of a real IRC server.
final class IRCBotHarness: Sendable {
    let folder: TemporaryDirectory
    let transport: IRCChatTransport
    let logs = LineCollector()
    let bot: ThreadpressBot
    private let task: Task<Void, Error>

    init(transport: IRCChatTransport, approvers: Set<String>) throws {
        folder = try TemporaryDirectory(prefix: "irc-bot-test")
        self.transport = transport
        let logs = logs
        var options = ThreadpressBot.Options(outboxInterval: .milliseconds(20))
        options.rateLimit = CommandRateLimiter(burst: 1_000, perMinute: 6_000)
        bot = ThreadpressBot(
            transport: transport, engine: MarkdownFolderEngine(directory: folder.path("blog")),
            store: try SQLiteStore(path: folder.path("state.sqlite")),
            settings: WorkflowSettings(
                approvers: approvers, botNick: transport.botNick, trustsNicks: transport.capabilities.trustsNicks,
                timeZone: IANATimeZone(identifier: "UTC")!),
            options: options, logger: BotLogger(level: .debug) { level, line in logs.append("\(level): \(line)") })
        let bot = bot
        task = Task { try await bot.run(once: false) }
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        folder.remove()
    }

    func files(_ subfolder: String) -> [String] { folder.list("blog/\(subfolder)").filter { !$0.hasPrefix(".") } }
}

/// A message `client` saw from the bot in `target`, as text.
private func botSaid(_ client: IRCTestClient, bot: IRCChatTransport, in target: String, where predicate: @escaping @Sendable (String) -> Bool) async throws -> String {
    let marker = " PRIVMSG \(target) :"
    let line = try await client.readLine(within: .seconds(20)) { line in
        guard line.hasPrefix(":\(bot.currentNick)!"), let range = line.range(of: marker) else { return false }
        return predicate(String(line[range.upperBound...]))
    }
    return String(line[line.range(of: marker)!.upperBound...])
}

@Suite struct IRCBotTests {
    let servers: IRCTestServers

    init() throws {
        servers = try IRCTestServers.load()
    }

    /// On ngircd (no accounts) the operator must trust nicks; on InspIRCd the approver logs in with SASL.
    @Test(arguments: TestServer.allCases)
    func conversationIsDraftedListedApprovedAndPublished(server: TestServer) async throws {
        let channel = uniqueChannel()
        let port = server.port(servers)
        let clarkLogin: (account: String, password: String)? = server == .inspircd ? try await registerAccount(servers, prefix: "clk") : nil
        let clarkNick = IRCTestServers.uniqueNick("clk")
        let approver = clarkLogin?.account ?? clarkNick
        let transport = servers.transport(port: port, nick: IRCTestServers.uniqueNick("tp"), channels: [channel],
                                          trustNicks: server == .ngircd, pacing: server.pacing)
        let harness = try IRCBotHarness(transport: transport, approvers: [approver])
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let alice = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("ali"))
        let bob = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("bob"))
        let clark = try await IRCTestClient.connect(port: port, nick: clarkNick, sasl: clarkLogin)
        defer { alice.close(); bob.close(); clark.close() }
        for client in [alice, bob, clark] { try await client.join(channel) }

        try await alice.say("shall we deploy on friday?", to: channel)
        _ = try await bob.readLine { $0.hasSuffix("PRIVMSG \(channel) :shall we deploy on friday?") }
        try await bob.say("only with a <b>rollback</b> plan", to: channel)
        _ = try await alice.readLine { $0.hasSuffix("PRIVMSG \(channel) :only with a <b>rollback</b> plan") }
        try await alice.say("!blog Deploy Friday", to: channel)
        let created = try await botSaid(alice, bot: transport, in: channel) { $0.hasPrefix("\(alice.nick): draft") }
        try await bob.say("!drafts", to: channel)
        let listed = try await botSaid(bob, bot: transport, in: channel) { $0.hasPrefix("\(bob.nick): ") }
        try await bob.say("!drafts", to: transport.currentNick)
        let listedPrivately = try await botSaid(bob, bot: transport, in: bob.nick) { $0.hasPrefix("\(bob.nick): ") }
        try await clark.say("!approve 1", to: channel)
        let published = try await botSaid(clark, bot: transport, in: channel) { $0.hasPrefix("\(clark.nick): ") }
        try await eventually("the post in _posts") { harness.files("_posts").count == 1 }
        let posts = harness.files("_posts")
        let post = try harness.folder.read("blog/_posts/\(posts[0])")
        await harness.stop()

        #expect(created == "\(alice.nick): draft 1 \"Deploy Friday\": 2 lines from \(quiet(alice.nick)), \(quiet(bob.nick)). An approver can publish it with !approve 1")
        #expect(listed == "\(bob.nick): open drafts: 1 \"Deploy Friday\" (2 lines by \(quiet(alice.nick)))")
        #expect(listedPrivately == listed)
        #expect(published.hasPrefix("\(clark.nick): published draft 1 \"Deploy Friday\": "))
        #expect(posts.count == 1 && posts[0].hasSuffix("-deploy-friday.md"))
        #expect(post.contains("shall we deploy on friday?"))
        #expect(post.contains("&lt;b&gt;rollback&lt;/b&gt;"))
        #expect(!post.contains("!blog"))
        #expect(harness.files("_drafts").isEmpty)
    }

    @Test func anImpostorUsingTheApproversNickWithoutTheAccountIsRefused() async throws {
        let channel = uniqueChannel()
        let port = servers.inspircdPort
        let login = try await registerAccount(servers, prefix: "apr")
        let transport = servers.transport(port: port, nick: IRCTestServers.uniqueNick("tp"), channels: [channel])
        let harness = try IRCBotHarness(transport: transport, approvers: [login.account])
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let alice = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("ali"))
        // The impostor takes the nick equal to the approver's account name; the approver is logged in
        // to that account under another nick.
        let impostor = try await IRCTestClient.connect(port: port, nick: login.account)
        let approver = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("real"), sasl: login)
        defer { alice.close(); impostor.close(); approver.close() }
        for client in [alice, impostor, approver] { try await client.join(channel) }

        try await alice.say("we should write this down", to: channel)
        _ = try await impostor.readLine { $0.hasSuffix("PRIVMSG \(channel) :we should write this down") }
        try await alice.say("!blog Notes", to: channel)
        _ = try await botSaid(alice, bot: transport, in: channel) { $0.hasPrefix("\(alice.nick): draft 1") }
        try await impostor.say("!approve 1", to: channel)
        let refusal = try await botSaid(impostor, bot: transport, in: channel) { $0.hasPrefix("\(login.account): ") }
        let draftsAfterRefusal = harness.files("_drafts")
        let postsAfterRefusal = harness.files("_posts")
        try await approver.say("!approve 1", to: channel)
        let published = try await botSaid(approver, bot: transport, in: channel) { $0.hasPrefix("\(approver.nick): ") }
        try await eventually("the post in _posts") { harness.files("_posts").count == 1 }
        await harness.stop()

        #expect(refusal == "\(login.account): I can't tell who you are: log in to your account (services/SASL) and try again")
        #expect(draftsAfterRefusal == ["notes.md"])
        #expect(postsAfterRefusal.isEmpty)
        #expect(published.hasPrefix("\(approver.nick): published draft 1 \"Notes\": "))
    }
}

/// A nick as the bot mentions it in passing: a zero-width joiner after the first letter, so the
/// mention does not highlight its owner.
private func quiet(_ nick: String) -> String { String(nick.prefix(1)) + "\u{200D}" + String(nick.dropFirst()) }

@Suite struct IRCLongOutputTests {
    @Test func logIsSentPrivatelyAndTheChannelGetsOneLine() async throws {
        let servers = try IRCTestServers.load()
        let channel = uniqueChannel()
        let port = TestServer.inspircd.port(servers)
        let transport = servers.transport(
            port: port, nick: IRCTestServers.uniqueNick("tp"), channels: [channel], trustNicks: false,
            pacing: TestServer.inspircd.pacing)
        let harness = try IRCBotHarness(transport: transport, approvers: [])
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("ana"))
        let ben = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("ben"))
        defer { ana.close(); ben.close() }
        for client in [ana, ben] { try await client.join(channel) }
        for text in ["first line", "second line", "third line"] {
            try await ana.say(text, to: channel)
            _ = try await ben.readLine { $0.hasSuffix("PRIVMSG \(channel) :\(text)") }
        }
        try await ana.say("!log 3", to: channel)
        let note = try await botSaid(ana, bot: transport, in: channel) { $0.hasPrefix("\(ana.nick): ") }
        var privately: [String] = []
        for _ in 0..<4 {
            privately.append(try await botSaid(ana, bot: transport, in: ana.nick) { _ in true })
        }
        // ben sees the note in the channel and nothing of the private lines.
        let benSaw = try await botSaid(ben, bot: transport, in: channel) { _ in true }
        await harness.stop()

        #expect(note == "\(ana.nick): sent you 3 lines privately")
        #expect(benSaw == note)
        #expect(privately[0] == "the last 3 lines with their references (!blog from REF to REF):")
        #expect(privately[1].hasSuffix(" \(quiet(ana.nick)): first line"))
        #expect(privately[3].hasSuffix(" \(quiet(ana.nick)): third line"))
        // References are the channel's own numbers, in the order the bot stored the lines (joins count).
        let references = privately.dropFirst().compactMap { Int($0.prefix { $0 != " " }) }
        #expect(references.count == 3 && references[1] == references[0] + 1 && references[2] == references[1] + 1)
    }
}
