"""A Python client of the room-event protocol, doing what static/js/live.js does in the browser:
apply events strictly in sequence order, exactly once, fetching any gap before going on."""

import threading

import socketio


class RoomFeedClient:
    def __init__(
        self, base_url: str, kind: str, object_id: int, since: int = 0, headers=None, drop_next: int = 0
    ):
        self.base_url = base_url
        self.kind, self.id = kind, object_id
        self.room = f"{kind}:{object_id}"
        self.last = since
        self.applied: list[dict] = []
        self.pending: dict[int, dict] = {}
        self.reloads = 0
        self.drop_next = drop_next  # simulate frames lost in transit
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.sio.on("connect", self._on_connect)
        self.sio.on("room_event", self._on_event)
        self.headers = headers or {}
        self.joined = threading.Event()

    def connect(self):
        """Connect and wait until the room is joined and any missed events are replayed."""
        self.joined.clear()
        self.sio.connect(self.base_url, headers=self.headers, transports=["websocket"], wait_timeout=20)
        assert self.joined.wait(20), "join was not acknowledged"
        return self

    def disconnect(self):
        self.sio.disconnect()

    def _on_connect(self):
        self.sio.start_background_task(self._join)

    def _call(self, event, data):
        """An acknowledged call; None when the connection went away meanwhile (a reconnect rejoins)."""
        try:
            return self.sio.call(event, data, timeout=20)
        except (
            socketio.exceptions.TimeoutError,
            socketio.exceptions.BadNamespaceError,
            socketio.exceptions.DisconnectedError,
        ):
            return None

    def _join(self):
        self._take(self._call("join", {"kind": self.kind, "id": self.id, "since": self.last}))
        self.joined.set()

    def _take(self, ack):
        if not ack or not ack.get("ok"):
            return
        if ack.get("reload"):
            with self.lock:
                self.reloads += 1
            return
        for envelope in ack["events"]:
            self._receive(envelope)

    def _on_event(self, envelope):
        with self.lock:
            if envelope["room"] != self.room:
                return
            if self.drop_next > 0:
                self.drop_next -= 1
                return
        self._receive(envelope)

    def _receive(self, envelope):
        gap = False
        with self.lock:
            if envelope["seq"] <= self.last:
                return
            self.pending[envelope["seq"]] = envelope
            while self.last + 1 in self.pending:
                item = self.pending.pop(self.last + 1)
                self.applied.append(item)
                self.last = item["seq"]
            gap = bool(self.pending)
            self.changed.notify_all()
        if gap:
            self.sio.start_background_task(self._fill_gap)

    def _fill_gap(self):
        self._take(self._call("replay", {"kind": self.kind, "id": self.id, "since": self.last}))

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict]:
        """Wait until `count` events were applied; return them."""
        with self.lock:
            self.changed.wait_for(lambda: len(self.applied) >= count, timeout=timeout)
            return list(self.applied)
