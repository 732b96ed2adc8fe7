extension ConfigurationObjectReader {
    /// One selectable `kind` of a section: its name, the hint shown when its settings object is
    /// missing, and how to read that object.
    public struct Kind<Value> {
        public var name: String
        public var hint: String
        public var read: (ConfigurationObjectReader) -> Value?

        public init(name: String, hint: String, read: @escaping (ConfigurationObjectReader) -> Value?) {
            self.name = name
            self.hint = hint
            self.read = read
        }
    }

    /// Reads a section shaped `{ "kind": NAME, NAME: { … } }` (`chat`, `blog`): `kind` picks one of
    /// `available`, whose settings object is then read. Kinds in `planned` are refused as "not
    /// available yet", but their objects may stay in the file, unchecked, while another kind is
    /// selected; so may the objects of other available kinds. Finishes the reader (unknown keys are
    /// reported).
    public func selectKind<Value>(_ noun: String, available: [Kind<Value>], planned: [String]) -> Value? {
        let names = available.map(\.name)
        let supported = UntrustedText.list(names)
        let kind = string("kind", required: true, hint: "set it to \(supported)")
        allow(contentsOf: names + planned)
        var result: Value?
        switch kind {
        case nil:
            break
        case let kind? where names.contains(kind):
            let selected = available.first { $0.name == kind }!
            result = object(kind, required: true, hint: selected.hint).flatMap(selected.read)
        case let kind? where planned.contains(kind):
            report("kind", "the \"\(kind)\" \(noun) is not available in this version; use \(supported)")
        case let kind?:
            report(
                "kind",
                "unknown \(noun) \(UntrustedText.quoted(kind)); this version supports \(supported)"
                    + UntrustedText.didYouMean(ClosestMatch.suggestion(for: kind, among: names + planned)))
        }
        for other in names + planned where other != kind {
            ignoreObject(other)
        }
        finish()
        return result
    }
}
