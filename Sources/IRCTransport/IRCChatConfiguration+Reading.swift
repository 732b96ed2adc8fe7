import ConfigurationReading
import IRCProtocol
import JSON

extension IRCChatConfiguration {
    /// Reads `chat.irc`, reporting every problem with its JSON path; `nil` when something required
    /// is missing or invalid.
    public init?(reading reader: ConfigurationObjectReader) {
        let context = reader.context
        var valid = true

        let host = reader.string("host", required: true, hint: "give the server's name, e.g. \"irc.libera.chat\"")
        if let host, host.isEmpty || host.contains(where: \.isWhitespace) || UntrustedText.containsControlCharacters(host)
            || host.contains("/")
        {
            reader.report("host", "expected a host name or address such as \"irc.libera.chat\", got \(UntrustedText.quoted(host))")
            valid = false
        }
        let tls = reader.bool("tls") ?? true
        let port = reader.int("port", range: 1...65535)
        if reader.contains("port"), port == nil { valid = false }
        let tlsVerify = reader.bool("tls_verify") ?? true

        let caFile = reader.filePath("ca_file")
        if let caFile { context.checkReadableFile(caFile, at: reader.path(for: "ca_file")) }
        let pins = Self.readPins(reader)
        let clientCertificate = reader.filePath("client_certificate")
        if let clientCertificate { context.checkReadableFile(clientCertificate, at: reader.path(for: "client_certificate")) }
        let clientKey = reader.filePath("client_key")
        if let clientKey {
            context.checkReadableFile(clientKey, at: reader.path(for: "client_key"))
            if clientCertificate == nil {
                reader.report("client_key", "a client key needs its certificate; add \"client_certificate\"")
            }
        }
        if !tls {
            for key in ["ca_file", "tls_pin_sha256", "client_certificate", "client_key"] where reader.contains(key) {
                reader.report(key, "applies only with TLS; remove it or set \"tls\": true")
            }
            if reader.contains("tls_verify") {
                reader.report("tls_verify", "applies only with TLS; remove it or set \"tls\": true")
            }
        }
        if tls, !tlsVerify, pins.isEmpty {
            reader.report("tls_verify", "false without \"tls_pin_sha256\" would trust any server; pin its key or give its CA in \"ca_file\"")
        }

        let nick = reader.string("nick")
        if let nick, let problem = Self.nickProblem(nick) {
            reader.report("nick", problem)
            valid = false
        }
        let alternatives = reader.strings("alternative_nicks") ?? []
        for (index, alternative) in alternatives.enumerated() {
            if let problem = Self.nickProblem(alternative) {
                context.report(reader.path(for: "alternative_nicks") + "[\(index)]", problem)
            }
        }
        let username = reader.string("username")
        if let username, username.isEmpty || username.contains(where: { $0 == " " || $0 == "@" }) || UntrustedText.containsControlCharacters(username) {
            reader.report("username", "expected a user name without spaces or '@', got \(UntrustedText.quoted(username))")
        }
        let realname = reader.string("realname")
        if let realname, realname.isEmpty || UntrustedText.containsControlCharacters(realname) {
            reader.report("realname", "expected a non-empty name without control characters")
        }

        let channels = Self.readChannels(reader)
        if channels == nil { valid = false }

        var sasl: SASL?
        if let saslReader = reader.object("sasl") {
            sasl = Self.readSASL(saslReader, tls: tls, hasClientCertificate: clientCertificate != nil)
            if sasl == nil { valid = false }
        } else if reader.contains("sasl") {
            valid = false
        }
        let trustNicks = reader.bool("trust_nicks") ?? false
        let pacing = Self.readPacing(reader)
        let serverPassword = reader.secret("server_password")
        reader.finish()

        guard valid, let host, let channels else { return nil }
        self.init(
            host: host, port: port, tls: tls, tlsVerify: tlsVerify, caFile: caFile, tlsPinSHA256: pins,
            clientCertificate: clientCertificate, clientKey: clientKey, nick: nick, alternativeNicks: alternatives,
            username: username, realname: realname, channels: channels, sasl: sasl, trustNicks: trustNicks,
            pacing: pacing ?? .inspIRCd, serverPassword: serverPassword)
    }

    /// Why `nick` cannot be an IRC nick, or `nil` when it can.
    static func nickProblem(_ nick: String) -> String? {
        let forbidden: Set<Character> = [" ", ",", "*", "?", "!", "@", ":", "#", "&", "."]
        if nick.isEmpty || nick.utf8.count > 30 || UntrustedText.containsControlCharacters(nick)
            || nick.contains(where: { forbidden.contains($0) }) || nick.first.map({ $0.isNumber || $0 == "-" || $0 == "$" }) == true
        {
            return "expected an IRC nick (1 to 30 characters, no spaces or ,*?!@:#&. and not starting with a digit or '-'), got \(UntrustedText.quoted(nick))"
        }
        return nil
    }

    private static func channelProblem(_ name: String) -> String? {
        guard let first = name.first, "#&+!".contains(first), name.count > 1, name.utf8.count <= 200,
              !name.contains(where: { $0 == " " || $0 == "," || $0 == "\u{7}" }), !UntrustedText.containsControlCharacters(name)
        else {
            return "expected a channel name such as \"#team\" (starting with #, &, + or !, no spaces or commas), got \(UntrustedText.quoted(name))"
        }
        return nil
    }

    private static func readChannels(_ reader: ConfigurationObjectReader) -> [Channel]? {
        let key = "channels"
        guard let value = reader.value(key) else {
            reader.reportMissing(key, hint: "give the channels to join, e.g. [\"#team\"]")
            return nil
        }
        guard case .array(let elements) = value, !elements.isEmpty else {
            reader.report(key, "expected a non-empty array of channels such as [\"#team\"] or [{ \"name\": \"#team\", \"key\": \"…\" }], got \(UntrustedText.describe(value))")
            return nil
        }
        var channels: [Channel] = []
        var valid = true
        for (index, element) in elements.enumerated() {
            let path = reader.path(for: key) + "[\(index)]"
            switch element {
            case .string(let name):
                if let problem = channelProblem(name) {
                    reader.context.report(path, problem)
                    valid = false
                } else {
                    channels.append(Channel(name))
                }
            case .object:
                guard let entry = ConfigurationObjectReader.root(element, path: path, context: reader.context) else {
                    valid = false
                    continue
                }
                let name = entry.string("name", required: true, hint: "give the channel, e.g. \"#team\"")
                let channelKey = entry.string("key")
                if let name, let problem = channelProblem(name) {
                    entry.report("name", problem)
                    valid = false
                }
                if let channelKey, channelKey.isEmpty || channelKey.contains(where: { $0 == " " || $0 == "," }) || UntrustedText.containsControlCharacters(channelKey) {
                    // Never quote a key: it is a password of sorts.
                    entry.report("key", "expected a channel key without spaces, commas or control characters")
                    valid = false
                }
                entry.finish()
                if let name { channels.append(Channel(name, key: channelKey)) } else { valid = false }
            default:
                reader.context.report(path, "expected a channel name or { \"name\": …, \"key\": … }, got \(UntrustedText.describe(element))")
                valid = false
            }
        }
        var seen: Set<String> = []
        for channel in channels where !seen.insert(channel.name.lowercased()).inserted {
            reader.report(key, "lists \(UntrustedText.quoted(channel.name)) twice; keep one")
            valid = false
        }
        return valid ? channels : nil
    }

    private static func readPins(_ reader: ConfigurationObjectReader) -> [String] {
        let key = "tls_pin_sha256"
        guard let value = reader.value(key) else { return [] }
        let pins: [String]
        switch value {
        case .string(let pin): pins = [pin]
        case .array:
            guard let list = reader.strings(key) else { return [] }
            pins = list
        default:
            reader.report(key, "expected \"sha256//…\" or an array of them, got \(UntrustedText.describe(value))")
            return []
        }
        var valid: [String] = []
        for pin in pins {
            let digest = pin.hasPrefix("sha256//") ? String(pin.dropFirst(8)) : pin
            let base64 = digest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=") }
            if digest.count == 44, digest.hasSuffix("="), base64 {
                valid.append("sha256//" + digest)
            } else {
                reader.report(key, "expected the base64 SHA-256 of the server's public key, \"sha256//\" and 44 characters (openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64), got \(UntrustedText.quoted(pin))")
            }
        }
        return valid
    }

    private static func readSASL(_ reader: ConfigurationObjectReader, tls: Bool, hasClientCertificate: Bool) -> SASL? {
        let mechanism = reader.choice("mechanism", as: SASLMechanism.self)
        if reader.contains("mechanism"), mechanism == nil {
            _ = reader.secret("password")
            _ = reader.string("account")
            reader.finish()
            return nil
        }
        let resolved = mechanism ?? .plain
        let account = reader.string("account", required: resolved == .plain, hint: "give the services account the bot logs in to")
        if let account, account.isEmpty || account.contains(" ") || UntrustedText.containsControlCharacters(account) {
            reader.report("account", "expected an account name without spaces, got \(UntrustedText.quoted(account))")
        }
        let password = reader.secret("password", required: resolved == .plain)
        var valid = true
        switch resolved {
        case .plain:
            valid = account != nil && password != nil
            if let password, password.value.utf8.contains(0) {
                reader.report("password", "the password contains a NUL byte, which SASL PLAIN cannot carry")
                valid = false
            }
        case .external:
            if password != nil { reader.report("password", "EXTERNAL uses the client certificate, not a password; remove it") }
            if !tls || !hasClientCertificate {
                reader.report("mechanism", "EXTERNAL needs TLS and a client certificate; set \"tls\": true and \"client_certificate\"")
                valid = false
            }
        }
        reader.finish()
        return valid ? SASL(mechanism: resolved, account: account, password: resolved == .plain ? password : nil) : nil
    }

    private static func readPacing(_ reader: ConfigurationObjectReader) -> IRCPacing? {
        let key = "pacing"
        guard let value = reader.value(key) else { return nil }
        switch value {
        case .string(let name):
            switch name.lowercased() {
            case "inspircd": return .inspIRCd
            case "ngircd": return .ngircd
            default:
                reader.report(key, "expected \"inspircd\", \"ngircd\" or { \"line_burst\": …, \"lines_per_second\": …, \"byte_burst\": …, \"bytes_per_second\": … }, got \(UntrustedText.quoted(name))")
                return nil
            }
        case .object:
            guard let object = reader.object(key) else { return nil }
            let lineBurst = object.int("line_burst", range: 1...100, required: true)
            let linesPerSecond = object.int("lines_per_second", range: 1...100, required: true)
            let byteBurst = object.int("byte_burst", range: 512...65536, required: true)
            let bytesPerSecond = object.int("bytes_per_second", range: 64...65536, required: true)
            object.finish()
            guard let lineBurst, let linesPerSecond, let byteBurst, let bytesPerSecond else { return nil }
            return IRCPacing(lineBurst: Double(lineBurst), linesPerSecond: Double(linesPerSecond),
                             byteBurst: Double(byteBurst), bytesPerSecond: Double(bytesPerSecond))
        default:
            reader.report(key, "expected \"inspircd\", \"ngircd\" or an object, got \(UntrustedText.describe(value))")
            return nil
        }
    }
}
