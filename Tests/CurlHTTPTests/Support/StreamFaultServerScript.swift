/// A python3 TCP server for stream fault injection, `faults.py MODE`; prints its port, then
/// serves every connection by MODE:
/// - `close-after-line`: sends "hello from the fault server\r\n" and closes.
/// - `silent`: accepts and then neither reads nor writes (stalls TLS handshakes, fills send buffers).
/// - `echo`: sends back everything it receives.
/// - `record`: reads until end of stream, then writes what it got to `received.bin` in its folder
///   (connections that sent nothing, such as the readiness probe, are not recorded).
enum StreamFaultServerScript {
    static let source = #"""
import os, socket, sys, threading

mode = sys.argv[1]
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
held = []

def serve(connection):
    if mode == "close-after-line":
        connection.sendall(b"hello from the fault server\r\n")
        connection.close()
    elif mode == "silent":
        held.append(connection)
    elif mode == "echo":
        while True:
            data = connection.recv(65536)
            if not data:
                break
            connection.sendall(data)
        connection.close()
    elif mode == "record":
        received = bytearray()
        while True:
            data = connection.recv(65536)
            if not data:
                break
            received += data
        connection.close()
        if not received:
            return
        with open("received.tmp", "wb") as file:
            file.write(received)
        os.rename("received.tmp", "received.bin")

while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
"""#
}

extension LoopbackServer {
    /// The stream fault server (``StreamFaultServerScript``) in `mode`.
    static func streamFaults(_ mode: String) async throws -> LoopbackServer {
        try await start(arguments: { folder in [try folder.write("faults.py", StreamFaultServerScript.source), mode] })
    }
}
