/// Turns titles in Latin, Greek and Cyrillic letters into ASCII for slugs, from tables (no ICU).
///
/// Latin letters with diacritics lose them (`é` → `e`, `ß` → `ss`, `Ł` → `L`: Unicode compatibility
/// decompositions, generated for U+00C0–U+024F and U+1E00–U+1EFF); Greek and Cyrillic letters are
/// romanised (`Привет` → `Privet`); full-width forms become ASCII. Letters of other scripts (Han,
/// Kana, Hangul, Arabic, …) have no table here and are dropped, so a title written only in them
/// gets ``Slug/fallback``.
enum SlugTransliteration {
    static func ascii(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                out.append(scalar)
            } else if let replacement = replacement(for: scalar.value) {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)  // the slug maker drops it (or keeps an apostrophe's meaning)
            }
        }
        return String(out)
    }

    static func replacement(for value: UInt32) -> Substring? {
        switch value {
        case 0xC0...0x24F: return latin[Int(value - 0xC0)]
        case 0x1E00...0x1EFF: return latinExtendedAdditional[Int(value - 0x1E00)]
        case 0x400...0x40F: return cyrillicExtended[Int(value - 0x400)]
        case 0x410...0x42F: return cyrillic[Int(value - 0x410)]
        case 0x430...0x44F: return cyrillic[Int(value - 0x430)]
        case 0x450...0x45F: return cyrillicExtended[Int(value - 0x450)]
        case 0x490, 0x491: return "g"
        case 0x386: return "a"
        case 0x388, 0x3AD: return "e"
        case 0x389, 0x38A, 0x390, 0x3AA, 0x3AE, 0x3AF: return "i"
        case 0x38C, 0x38F, 0x3CC, 0x3CE: return "o"
        case 0x38E, 0x3AB, 0x3B0, 0x3CD: return "y"
        case 0x391...0x3A9: return value == 0x3A2 ? nil : greek[Int(value - 0x391)]
        case 0x3AC: return "a"
        case 0x3B1...0x3CB: return greek[Int(value - 0x3B1)]
        case 0xFF01...0xFF5E:
            // Full-width ASCII.
            return Substring(String(UnicodeScalar(UInt8(value - 0xFEE0))))
        default: return nil
        }
    }

    private static let latin = table("A|A|A|A|A|A|AE|C|E|E|E|E|I|I|I|I|D|N|O|O|O|O|O||O|U|U|U|U|Y|TH|ss|a|a|a|a|a|a|ae|c|e|e|e|e|i|i|i|i|d|n|o|o|o|o|o||o|u|u|u|u|y|th|y|A|a|A|a|A|a|C|c|C|c|C|c|C|c|D|d|D|d|E|e|E|e|E|e|E|e|E|e|G|g|G|g|G|g|G|g|H|h|H|h|I|i|I|i|I|i|I|i|I|i|IJ|ij|J|j|K|k|q|L|l|L|l|L|l|L|l|L|l|N|n|N|n|N|n|n|NG|ng|O|o|O|o|O|o|OE|oe|R|r|R|r|R|r|S|s|S|s|S|s|S|s|T|t|T|t|T|t|U|u|U|u|U|u|U|u|U|u|U|u|W|w|Y|y|Y|Z|z|Z|z|Z|z|s|b||||||||||||||E|E|E|F|f|G|G||I|I|K|k|||M|N|n|O|O|o|||P|p|||||||T|t|T|U|u|U|V|Y|y|Z|z|Z|||||||||||||DZ|Dz|dz|LJ|Lj|lj|NJ|Nj|nj|A|a|I|i|O|o|U|u|U|u|U|u|U|u|U|u|e|A|a|A|a|||||G|g|K|k|O|o|O|o|Z|z|j|DZ|Dz|dz|G|g|||N|n|A|a|||||A|a|A|a|E|e|E|e|I|i|I|i|O|o|O|o|R|r|R|r|U|u|U|u|S|s|T|t|||H|h|||OU|ou|Z|z|A|a|E|e|O|o|O|o|O|o|O|o|Y|y|||||||A|C|c||T|||||B|U||E|e|||||R|r|Y|y")
    private static let latinExtendedAdditional = table("A|a|B|b|B|b|B|b|C|c|D|d|D|d|D|d|D|d|D|d|E|e|E|e|E|e|E|e|E|e|F|f|G|g|H|h|H|h|H|h|H|h|H|h|I|i|I|i|K|k|K|k|K|k|L|l|L|l|L|l|L|l|M|m|M|m|M|m|N|n|N|n|N|n|N|n|O|o|O|o|O|o|O|o|P|p|P|p|R|r|R|r|R|r|R|r|S|s|S|s|S|s|S|s|S|s|T|t|T|t|T|t|T|t|U|u|U|u|U|u|U|u|U|u|V|v|V|v|W|w|W|w|W|w|W|w|W|w|X|x|X|x|Y|y|Z|z|Z|z|Z|z|h|t|w|y|a|s|||SS||A|a|A|a|A|a|A|a|A|a|A|a|A|a|A|a|A|a|A|a|A|a|A|a|E|e|E|e|E|e|E|e|E|e|E|e|E|e|E|e|I|i|I|i|O|o|O|o|O|o|O|o|O|o|O|o|O|o|O|o|O|o|O|o|O|o|O|o|U|u|U|u|U|u|U|u|U|u|U|u|U|u|Y|y|Y|y|Y|y|Y|y||||||")
    private static let cyrillic = table("a|b|v|g|d|e|zh|z|i|y|k|l|m|n|o|p|r|s|t|u|f|kh|ts|ch|sh|shch||y||e|yu|ya")
    private static let cyrillicExtended = table("e|yo|dj|g|ye|dz|i|yi|j|lj|nj|c|k|i|u|dz")
    private static let greek = table("a|v|g|d|e|z|i|th|i|k|l|m|n|x|o|p|r|s|s|t|y|f|ch|ps|o|i|y|o|y|o")

    private static func table(_ text: String) -> [Substring] {
        text.split(separator: "|", omittingEmptySubsequences: false)
    }
}
