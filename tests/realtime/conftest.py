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
