import ThreadpressModel

/// What the workflow may ask of the channel log and the drafts, synchronously.
///
/// The store's transaction type conforms (in the runtime), so a command is decided inside the same
/// transaction that records it; tests conform with plain arrays.
public protocol WorkflowQueries {
    /// Up to `limit` messages of `channel` with a sequence below `sequence`, newest first.
    func messages(in channel: String, before sequence: Int64, limit: Int) throws -> [StoredMessage]
    /// The message `channel` knows by this reference, if any.
    func message(in channel: String, reference: Int64) throws -> StoredMessage?
    /// The message with this network id (IRC `msgid`, a platform post id) in `channel`, if any.
    func message(in channel: String, networkID: String) throws -> StoredMessage?
    func draft(number: Int64) throws -> DraftRecord?
    /// Drafts in any of `states`, oldest first.
    func drafts(in states: Set<DraftState>) throws -> [DraftRecord]
    /// A draft's lines in order.
    func storedLines(ofDraft number: Int64) throws -> [StoredMessage]
    /// What quoted people answered about a draft.
    func consent(ofDraft number: Int64) throws -> [ConsentAnswer]
    /// Lower-cased principals of everyone who opted out.
    func optedOut() throws -> Set<String>
    /// Roles given in chat.
    func roleGrants() throws -> [RoleGrant]
}
