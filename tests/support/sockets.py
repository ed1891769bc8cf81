"""What a Socket.IO test client received."""


def room_events(sio, room=None):
    """Room events this socket received so far (envelopes), optionally for one room."""
    envelopes = [item["args"][0] for item in sio.get_received() if item["name"] == "room_event"]
    return [e for e in envelopes if room is None or e["room"] == room]
