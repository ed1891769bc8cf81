import pytest

from app.extensions import socketio


@pytest.fixture
def socket_for(app):
    """socket_for(http_client) -> a Socket.IO test client sharing that client's cookies (its sign-in)."""
    clients = []

    def connect(http_client):
        sio = socketio.test_client(app, flask_test_client=http_client)
        clients.append(sio)
        return sio

    yield connect
    for sio in clients:
        if sio.is_connected():
            sio.disconnect()


def room_events(sio, room=None):
    """Room events this socket received so far (envelopes), optionally for one room."""
    envelopes = [item["args"][0] for item in sio.get_received() if item["name"] == "room_event"]
    return [e for e in envelopes if room is None or e["room"] == room]
