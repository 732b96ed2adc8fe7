/// "Did you mean …?" for misspelt keys and values.
public enum ClosestMatch {
    /// The candidate `word` most likely meant: the same once case, `_` and `-` are ignored
    /// (`gapMinutes` → `gap_minutes`), within edit distance 2, or a prefix either way (at least
    /// three characters). `nil` when nothing is close.
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        let normalizedWord = normalized(word)
        var best: (candidate: String, score: Int)?
        for candidate in candidates where candidate != word {
            let normalizedCandidate = normalized(candidate)
            let score: Int
            if normalizedCandidate == normalizedWord {
                score = 0
            } else {
                let distance = editDistance(Array(word.lowercased()), Array(candidate.lowercased()), limit: 2)
                if let distance {
                    score = distance
                } else if min(normalizedWord.count, normalizedCandidate.count) >= 3,
                    normalizedCandidate.hasPrefix(normalizedWord) || normalizedWord.hasPrefix(normalizedCandidate)
                {
                    score = 3
                } else {
                    continue
                }
            }
            if best == nil || score < best!.score || (score == best!.score && candidate < best!.candidate) {
                best = (candidate, score)
            }
        }
        return best?.candidate
    }

    private static func normalized(_ word: String) -> String {
        String(word.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Levenshtein distance, or `nil` when it exceeds `limit`.
    public static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
