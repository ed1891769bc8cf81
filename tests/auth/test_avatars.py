"""A member's picture: an uploaded image, re-encoded without its camera and location data and shown
as a thumbnail on their profile; replaced by the next one; their initials when they have none."""

import io
import re

from PIL import Image

from tests.files import samples
from tests.support.clients import client_for


def _upload(client, data: bytes, name: str):
    return client.post(
        "/settings/avatar", data={"avatar": (io.BytesIO(data), name)}, content_type="multipart/form-data",
        follow_redirects=True,
    )  # fmt: skip


def _picture(client, username) -> str | None:
    page = client.get(f"/u/{username}").get_data(as_text=True)
    found = re.search(r'<img class="avatar avatar-large" src="([^"]+)"', page)
    return found.group(1) if found else None


def test_a_member_uploads_a_picture_shown_reencoded_on_their_profile(app, make):
    member = make.user("amina", display_name="Amina Diallo")
    client = client_for(app, member)
    assert _picture(client, "amina") is None
    assert "AD</span>" in client.get("/u/amina").get_data(as_text=True)  # initials meanwhile
    assert "Your picture is saved." in _upload(client, samples.jpeg_with_exif((300, 200)), "me.jpg").get_data(
        as_text=True
    )
    address = _picture(client_for(app), "amina")  # a visitor sees it too
    assert address and address.endswith("/thumbnail")
    served = client_for(app).get(address)
    assert served.status_code == 200
    image = Image.open(io.BytesIO(served.data))
    assert not image.getexif()  # no camera or location data left
    _upload(client, samples.png((120, 120)), "new.png")
    second = _picture(client, "amina")
    assert second != address
    assert client.post("/settings/avatar/remove", follow_redirects=True).status_code == 200
    assert _picture(client, "amina") is None


def test_what_is_not_an_image_is_refused_with_a_reason(app, make):
    client = client_for(app, make.user("bashir"))
    refused = _upload(client, b"%PDF-1.4 not really an image", "cv.pdf").get_data(as_text=True)
    assert "Your picture is saved." not in refused and 'class="flash flash-error"' in refused
    assert _picture(client, "bashir") is None
    empty = client.post(
        "/settings/avatar", data={}, content_type="multipart/form-data", follow_redirects=True
    )
    assert "Choose an image for your picture." in empty.get_data(as_text=True)
    visitor = client_for(app).post("/settings/avatar", data={}, content_type="multipart/form-data")
    assert visitor.status_code == 302 and "/auth/login" in visitor.headers["Location"]
    assert client.post("/settings/avatar", data={"avatar": "text"}).status_code == 415  # not a file upload
