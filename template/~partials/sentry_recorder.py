class Recorder(ThreadingHTTPServer):
    """A stand-in for Sentry on 127.0.0.1: keeps the events of every envelope POSTed to it."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Receive)
        self.events: list[Any] = []
        self.raw: list[bytes] = []  # the envelopes as sent, to search for what must not be there
        self.dsn = f"http://public@127.0.0.1:{self.server_address[1]}/1"


class _Receive(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":  # when brotli is installed
            body = importlib.import_module("brotli").decompress(body)
        self.server.raw.append(body)
        envelope = Envelope.deserialize(body)
        self.server.events += [item.payload.json for item in envelope.items if item.type == "event"]
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A recorder, with the SDK started as production starts it but reporting there."""
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    sentry_sdk.flush(timeout=5)
    sentry_sdk.get_global_scope().set_client(None)  # the SDK off again for the next tests
    server.shutdown()
    server.server_close()


def sent(recorder: Recorder) -> list[Any]:
    """The events the SDK has sent so far (waiting for its queue to empty)."""
    sentry_sdk.flush(timeout=5)
    return recorder.events
