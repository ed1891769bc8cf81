def test_start_thread_and_reply(client, auth, make):
    user = auth.login(make.user("amina"))
    response = client.post(
        "/c/c7-e-health/new", data={"title": "Telehealth in Sahel", "body": "Opening **post**"}
    )
    assert response.status_code == 302
    thread_url = response.headers["Location"]
    page = client.get(thread_url).get_data(as_text=True)
    assert "Telehealth in Sahel" in page and "<strong>post</strong>" in page
    assert user.username in page
