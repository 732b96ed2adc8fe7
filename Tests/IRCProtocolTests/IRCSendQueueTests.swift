import Testing
@testable import IRCProtocol

@Suite struct IRCSendQueueTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test func releasesTheBurstThenOneLinePerSecond() {
        var queue = IRCSendQueue<Int>(pacing: IRCPacing(lineBurst: 4, linesPerSecond: 1, byteBurst: 100_000, bytesPerSecond: 100_000), now: at(0))
        for line in 1...10 { queue.enqueue(line, byteCount: 100, priority: .announcement) }
        #expect(queue.dequeue(now: at(0)) == [1, 2, 3, 4])
        #expect(queue.nextDeparture(now: at(0)) == at(1000))
        #expect(queue.dequeue(now: at(999)) == [])
        #expect(queue.dequeue(now: at(1000)) == [5])
        #expect(queue.dequeue(now: at(3500)) == [6, 7])
        #expect(queue.nextDeparture(now: at(3500)) == at(4000))
        #expect(queue.dequeue(now: at(60_000)) == [8, 9, 10])
        #expect(queue.nextDeparture(now: at(60_000)) == nil)
    }

    @Test func countsBytesToo() {
        var queue = IRCSendQueue<Int>(pacing: IRCPacing(lineBurst: 100, linesPerSecond: 100, byteBurst: 1000, bytesPerSecond: 500), now: at(0))
        for line in 1...6 { queue.enqueue(line, byteCount: 400, priority: .announcement) }
        #expect(queue.dequeue(now: at(0)) == [1, 2])   // 800 of 1000 bytes
        #expect(queue.nextDeparture(now: at(0)) == at(400))  // 200 more bytes at 500/s
        #expect(queue.dequeue(now: at(400)) == [3])
        #expect(queue.dequeue(now: at(1200)) == [4])
        #expect(queue.dequeue(now: at(2000)) == [5])
    }

    @Test func sendsALineLargerThanTheByteBurstWhenTheBucketIsFull() {
        var queue = IRCSendQueue<Int>(pacing: IRCPacing(lineBurst: 5, linesPerSecond: 1, byteBurst: 100, bytesPerSecond: 100), now: at(0))
        queue.enqueue(1, byteCount: 300, priority: .reply)
        queue.enqueue(2, byteCount: 300, priority: .reply)
        #expect(queue.dequeue(now: at(0)) == [1])
        #expect(queue.nextDeparture(now: at(0)) == at(3000))  // from -200 back to the full 100
        #expect(queue.dequeue(now: at(3000)) == [2])
    }

    @Test func repliesOvertakeWaitingAnnouncements() {
        var queue = IRCSendQueue<String>(pacing: IRCPacing(lineBurst: 1, linesPerSecond: 1, byteBurst: 10_000, bytesPerSecond: 10_000), now: at(0))
        for index in 1...3 { queue.enqueue("announce \(index)", byteCount: 50, priority: .announcement) }
        #expect(queue.dequeue(now: at(0)) == ["announce 1"])
        queue.enqueue("reply", byteCount: 50, priority: .reply)
        #expect(queue.dequeue(now: at(1000)) == ["reply"])
        #expect(queue.dequeue(now: at(2000)) == ["announce 2"])
        #expect(queue.count == 1)
        #expect(queue.count(at: .announcement) == 1)
    }

    @Test func removeAllHandsBackWaitingLinesRepliesFirst() {
        var queue = IRCSendQueue<String>(pacing: IRCPacing(lineBurst: 1, linesPerSecond: 1, byteBurst: 1000, bytesPerSecond: 1000), now: at(0))
        queue.enqueue("a1", byteCount: 10, priority: .announcement)
        queue.enqueue("a2", byteCount: 10, priority: .announcement)
        queue.enqueue("r1", byteCount: 10, priority: .reply)
        #expect(queue.dequeue(now: at(0)) == ["r1"])
        #expect(queue.removeAll() == ["a1", "a2"])
        #expect(queue.isEmpty)
        #expect(queue.nextDeparture(now: at(0)) == nil)
    }

    @Test func linesSentOutsideTheQueueUseTokens() {
        var queue = IRCSendQueue<Int>(pacing: IRCPacing(lineBurst: 2, linesPerSecond: 1, byteBurst: 10_000, bytesPerSecond: 10_000), now: at(0))
        queue.charge(byteCount: 20, now: at(0))
        queue.enqueue(1, byteCount: 50, priority: .reply)
        queue.enqueue(2, byteCount: 50, priority: .reply)
        #expect(queue.dequeue(now: at(0)) == [1])
        #expect(queue.dequeue(now: at(1000)) == [2])
    }

    /// 100 announcements of ~450 bytes under the InspIRCd preset: at no moment does what the
    /// server has received but not yet processed (fakelag: 1 line/s after 10 points) exceed its
    /// 4 KiB recvq, and fakelag never exceeds the 10-point threshold by more than registration's 6.
    @Test func aBurstOfAHundredAnnouncementsStaysUnderInspIRCdLimits() {
        var queue = IRCSendQueue<Int>(pacing: .inspIRCd, now: at(0))
        for line in 0..<100 { queue.enqueue(line, byteCount: 450, priority: .announcement) }
        var now = at(0)
        var points = 6.0  // registration
        var lastTime = now
        var sent = 0
        while !queue.isEmpty {
            let elapsed = Double(lastTime.duration(to: now).components.seconds) + Double(lastTime.duration(to: now).components.attoseconds) / 1e18
            points = max(0, points - elapsed)
            lastTime = now
            let lines = queue.dequeue(now: now)
            #expect(lines.count * 450 <= 4096)
            points += Double(lines.count)
            #expect(points <= 10.0 + 1e-9, "at line \(sent)")
            sent += lines.count
            guard let next = queue.nextDeparture(now: now) else { break }
            #expect(next > now)
            now = next
        }
        #expect(sent == 100)
    }
}
