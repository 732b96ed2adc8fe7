import Testing

@Test func placeholderSQLiteStorageTests() { #expect(Bool(true)) }
