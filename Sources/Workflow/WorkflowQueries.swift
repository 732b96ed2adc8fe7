import ThreadpressModel

/// What the workflow may ask of the channel log and the drafts, synchronously.
///
/// The store's transaction type conforms (in the runtime), so a command is decided inside the same
/// transaction that records it; tests conform with plain arrays.
public protocol WorkflowQueries {
    /// Up to `limit` messages of `channel` with a sequence below `sequence`, newest first.
    func messages(in channel: String, before sequence: Int64, limit: Int) throws -> [StoredMessage]
    func draft(number: Int64) throws -> DraftRecord?
    /// Drafts in any of `states`, oldest first.
    func drafts(in states: Set<DraftState>) throws -> [DraftRecord]
}
