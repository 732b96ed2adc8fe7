import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import Synchronization
import ThreadpressModel
import ThreadpressTesting

/// Everything a transport's event stream yielded, recorded by a task that consumes it.
final class EventRecorder: Sendable {
    private let events = Mutex<[ChatEvent]>([])
    private let failure = Mutex<String?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts consuming `transport.events(...)`.
    static func start(_ transport: IRCChatTransport, untilCaughtUp: Bool = false) -> EventRecorder {
        let recorder = EventRecorder()
        let task = Task {
            do {
                for try await event in transport.events(resumingAfter: nil, untilCaughtUp: untilCaughtUp) {
                    recorder.events.withLock { $0.append(event) }
                }
            } catch {
                recorder.failure.withLock { $0 = "\(error)" }
            }
        }
        recorder.task.withLock { $0 = task }
        return recorder
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    var error: String? { failure.withLock { $0 } }

    /// The chat messages yielded so far.
    var messages: [ChatMessage] {
        events.withLock { events in
            events.compactMap { if case .message(let message, _) = $0 { message } else { nil } }
        }
    }

    var caughtUpCount: Int { events.withLock { $0.filter { $0 == .caughtUp }.count } }

    /// Messages (not events) from `nick` in `channel`.
    func said(by nick: String, in channel: String) -> [ChatMessage] {
        messages.filter { $0.sender.nick == nick && $0.channel == channel && $0.kind == .message }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes (then throws, naming `what`).
func eventually(
    within timeout: Duration = .seconds(15), _ what: String, _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try condition() { return }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for: \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A channel name no other test uses.
func uniqueChannel() -> String { "#" + IRCTestServers.uniqueNick("tp") }

extension IRCTestServers {
    /// A transport to one of the plain-TCP test servers, with fast reconnects.
    func transport(
        port: Int, nick: String, channels: [String], sasl: IRCChatConfiguration.SASL? = nil, trustNicks: Bool = false,
        pacing: IRCPacing = .inspIRCd, log: @escaping @Sendable (IRCChatTransport.LogLevel, String) -> Void = { _, _ in }
    ) -> IRCChatTransport {
        let configuration = IRCChatConfiguration(
            host: host, port: port, tls: false, nick: nick, channels: channels.map { IRCChatConfiguration.Channel($0) },
            sasl: sasl, trustNicks: trustNicks, pacing: pacing)
        return IRCChatTransport(
            configuration: configuration, botNick: "unused",
            reconnectPolicy: IRCReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1)), log: log)
    }
}

/// Registers a fresh services account on InspIRCd/Anope and returns its name and password.
func registerAccount(_ servers: IRCTestServers, prefix: String) async throws -> (account: String, password: String) {
    let nick = IRCTestServers.uniqueNick(prefix)
    let password = "pw" + IRCTestServers.uniqueNick("x") + IRCTestServers.uniqueNick("y")
    let client = try await IRCTestClient.connect(port: servers.inspircdPort, nick: nick)
    defer { client.close() }
    try await client.registerAccount(password: password)
    return (nick, password)
}
